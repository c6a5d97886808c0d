/**
 * Child process of post-load.ts (never imported): POSTs pre-built bodies, each with its own
 * headers, from `connections` concurrent keep-alive loops, and prints one JSON line
 * (PostLoadReport) on stdout. Usage: bun post-load-worker.ts <job.json>
 *
 * Request i (0-based, handed out in order across the loops) sends requests[from + i % (to - from)].
 * A loop stops taking new requests once `maxRequests` were handed out or `durationSeconds`
 * passed; every request handed out is awaited, so requests [0, sent) all went out.
 */
import { readFileSync } from 'node:fs';
import type { PostLoadJob, PostLoadReport, PreparedRequest } from './post-load.ts';

const MAX_DISTINCT_BODIES = 16;

const job = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as PostLoadJob;
const requests = JSON.parse(readFileSync(job.requestsFile, 'utf8')) as PreparedRequest[];
const span = job.to - job.from;
if (!(span > 0 && job.to <= requests.length))
  throw new Error(`bad slice [${job.from}, ${job.to}) of ${requests.length}`);

const latencies = new Float64Array(job.maxRequests);
const statuses: Record<string, number> = {};
const bodies: Record<string, number> = {};
let distinctBodies = 0;
let next = 0;
let total = 0;
let errors = 0;
let firstError: string | undefined;

const started = performance.now();
const deadline = started + job.durationSeconds * 1000;

async function loop(): Promise<void> {
  while (next < job.maxRequests && performance.now() < deadline) {
    const i = next++;
    const request = requests[job.from + (i % span)]!;
    const sentAt = performance.now();
    try {
      const response = await fetch(job.url, {
        method: 'POST',
        headers: request.headers,
        body: request.body,
        signal: AbortSignal.timeout(job.timeoutMs),
      });
      const text = await response.text();
      latencies[total++] = performance.now() - sentAt;
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      if (bodies[text] !== undefined) bodies[text]++;
      else if (distinctBodies < MAX_DISTINCT_BODIES) {
        bodies[text] = 1;
        distinctBodies++;
      } else bodies['(other bodies)'] = (bodies['(other bodies)'] ?? 0) + 1;
    } catch (error) {
      errors++;
      firstError ??= String(error);
    }
  }
}

await Promise.all(Array.from({ length: job.connections }, loop));
const elapsedMs = performance.now() - started;
const sorted = latencies.subarray(0, total).sort();
const percentile = (p: number) => (total === 0 ? 0 : sorted[Math.min(total - 1, Math.floor((p / 100) * total))]!);

const report: PostLoadReport = {
  sent: next,
  total,
  errors,
  firstError,
  statuses,
  bodies,
  elapsedMs,
  requestsPerSec: total / (elapsedMs / 1000),
  p50Ms: percentile(50),
  p99Ms: percentile(99),
  maxMs: total === 0 ? 0 : sorted[total - 1]!,
};
console.log(JSON.stringify(report));
