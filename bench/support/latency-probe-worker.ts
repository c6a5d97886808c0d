/**
 * Child process of latency-probe.ts (never imported): `connections` keep-alive loops GET `url`,
 * each at most once every `intervalMs` (paced, so the probe measures stalls of the server
 * without taking a core from it). Warm-up requests for `warmupMs` are discarded, then it prints
 * `ready`, records every request's latency (send -> last body byte, performance.now()) until its
 * stdin closes or `maxSeconds` pass, and prints one JSON line (ProbeReport).
 * Usage: bun latency-probe-worker.ts '<ProbeJob JSON>'
 */
import type { ProbeJob, ProbeReport } from './latency-probe.ts';

const job = JSON.parse(process.argv[2]!) as ProbeJob;
const capacity = Math.ceil(job.connections * (1000 / Math.max(job.intervalMs, 0.5)) * job.maxSeconds) + job.connections;
const latencies = new Float64Array(capacity);
const statuses: Record<string, number> = {};
let total = 0;
let errors = 0;
let firstError: string | undefined;
let recording = false;
let stopping = false;

const started = performance.now();
const deadline = started + job.warmupMs + job.maxSeconds * 1000;
let recordingSince = 0;

async function loop(): Promise<void> {
  while (!stopping && performance.now() < deadline && total < capacity) {
    const sentAt = performance.now();
    try {
      const response = await fetch(job.url, { signal: AbortSignal.timeout(job.timeoutMs) });
      await response.arrayBuffer();
      const elapsed = performance.now() - sentAt;
      if (recording && total < capacity) {
        latencies[total++] = elapsed;
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      }
    } catch (error) {
      if (recording) {
        errors++;
        firstError ??= String(error);
      }
    }
    const wait = sentAt + job.intervalMs - performance.now();
    if (wait > 0) await Bun.sleep(wait);
  }
}

const loops = Promise.all(Array.from({ length: job.connections }, loop));
setTimeout(() => {
  recording = true;
  recordingSince = performance.now();
  console.log('ready');
}, job.warmupMs);

// The parent closes our stdin to say "stop".
void (async () => {
  for await (const _ of Bun.stdin.stream());
  stopping = true;
})();

await loops;
const elapsedMs = performance.now() - (recordingSince || performance.now());
const sorted = latencies.subarray(0, total).sort();
const percentile = (p: number) => (total === 0 ? 0 : sorted[Math.min(total - 1, Math.floor((p / 100) * total))]!);
const report: ProbeReport = {
  total,
  errors,
  firstError,
  statuses,
  elapsedMs,
  requestsPerSec: total / Math.max(elapsedMs / 1000, 1e-9),
  p50Ms: percentile(50),
  p99Ms: percentile(99),
  maxMs: total === 0 ? 0 : sorted[total - 1]!,
  over: Object.fromEntries(job.thresholdsMs.map((ms) => [String(ms), sorted.filter((v) => v > ms).length])),
};
console.log(JSON.stringify(report));
process.exit(0);
