/**
 * POST load where every request carries its own body and headers (signed webhooks, say), which
 * autocannon's CLI cannot do. The bodies are prepared up front and written once to a JSON file;
 * each run is a separate Bun process (post-load-worker.ts) with `connections` concurrent
 * keep-alive fetch loops, so the generator never shares the event loop of the server under
 * test. Latencies are measured per request with performance.now() (sub-millisecond).
 *
 * Bounded like support/load.ts: 127.0.0.1 only, at most 200 connections, 30 s and 1,000,000
 * requests per run, and a hard kill of the child if it overstays.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertBounded, LOAD_LIMITS } from './load.ts';

export interface PreparedRequest {
  body: string;
  headers: Record<string, string>;
}

/** What the worker reads (written to a temp file by runPostLoad). */
export interface PostLoadJob {
  url: string;
  requestsFile: string;
  /** Slice [from, to) of the prepared requests, sent in order and cycled if maxRequests is larger. */
  from: number;
  to: number;
  maxRequests: number;
  connections: number;
  durationSeconds: number;
  timeoutMs: number;
}

/** What the worker prints. */
export interface PostLoadReport {
  /** Requests handed out: request numbers [0, sent) all went out (and were answered unless errors). */
  sent: number;
  /** Responses received. */
  total: number;
  /** Connection errors and timeouts. */
  errors: number;
  firstError?: string;
  /** Responses by HTTP status. */
  statuses: Record<string, number>;
  /** Responses by body text (the first 16 distinct bodies, the rest under "(other bodies)"). */
  bodies: Record<string, number>;
  /** From the first request sent to the last response received. */
  elapsedMs: number;
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface PostRun extends PostLoadReport {
  non2xx: number;
  /** CPU time this process (the server under test) spent per response. */
  cpuMicrosPerRequest: number;
  /** Share of one core this process used over the child's whole life (start-up included). */
  cpuPercent: number;
}

export interface PostLoadOptions {
  /** Must point at 127.0.0.1. */
  url: string;
  /** A file written by writeRequests. */
  requestsFile: string;
  from: number;
  to: number;
  /** Defaults to to - from: each prepared request sent once. */
  maxRequests?: number;
  connections?: number;
  durationSeconds?: number;
  timeoutMs?: number;
}

const WORKER = join(import.meta.dir, 'post-load-worker.ts');
const LIMITS = { ...LOAD_LIMITS, requests: 1_000_000 } as const;

/** Writes the prepared requests where the worker reads them; returns the path. */
export function writeRequests(dir: string, name: string, requests: PreparedRequest[]): string {
  const path = join(dir, `${name}.requests.json`);
  writeFileSync(path, JSON.stringify(requests));
  return path;
}

function assertPostBounded({ url, connections, durationSeconds, maxRequests }: PostLoadJob): void {
  assertBounded(url, connections, durationSeconds);
  if (!(maxRequests >= 1 && maxRequests <= LIMITS.requests))
    throw new Error(`maxRequests must be 1..${LIMITS.requests}, got ${maxRequests}`);
}

/**
 * One load run against a server living in this process, with the CPU time this process spent
 * while it ran. The bench process only awaits the child meanwhile, so that CPU is the server's.
 */
export async function measurePostInProcess(options: PostLoadOptions): Promise<PostRun> {
  const job: PostLoadJob = {
    url: options.url,
    requestsFile: options.requestsFile,
    from: options.from,
    to: options.to,
    maxRequests: options.maxRequests ?? options.to - options.from,
    connections: options.connections ?? 50,
    durationSeconds: options.durationSeconds ?? 5,
    timeoutMs: options.timeoutMs ?? 5000,
  };
  assertPostBounded(job);
  const jobFile = `${options.requestsFile}.${job.from}-${job.to}.job.json`;
  writeFileSync(jobFile, JSON.stringify(job));

  const before = process.cpuUsage();
  const started = performance.now();
  const child = Bun.spawn([process.execPath, WORKER, jobFile], {
    stdout: 'pipe',
    stderr: 'pipe',
    // Its own bound plus start-up (reading the prepared bodies) and the last timeouts.
    timeout: (job.durationSeconds + 20) * 1000 + job.timeoutMs,
  });
  const [stdout, stderr, code] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  const cpu = process.cpuUsage(before);
  const wallMs = performance.now() - started;
  if (code !== 0) throw new Error(`load worker exited with ${code} (signal ${child.signalCode}): ${stderr.trim()}`);
  let report: PostLoadReport;
  try {
    report = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as PostLoadReport;
  } catch {
    throw new Error(`load worker printed no JSON result: ${stdout.slice(0, 500)} ${stderr.slice(0, 500)}`);
  }
  const micros = cpu.user + cpu.system;
  const non2xx = Object.entries(report.statuses)
    .filter(([status]) => !status.startsWith('2'))
    .reduce((sum, [, n]) => sum + n, 0);
  return {
    ...report,
    non2xx,
    cpuMicrosPerRequest: micros / Math.max(report.total, 1),
    cpuPercent: micros / 10 / wallMs,
  };
}
