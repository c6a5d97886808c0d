/**
 * HTTP load through autocannon, run as a separate Node process so the load generator never
 * shares the event loop of the server under test (the server may live in the bench process).
 *
 * This machine has 2 cores: the server and autocannon compete for them, so absolute req/s are
 * lower than on a dedicated box and vary from run to run. Only ratios against a ceiling measured
 * in the same run, under the same load, mean anything; callers interleave their subjects.
 */
import { existsSync } from 'node:fs';

const AUTOCANNON = Bun.resolveSync('autocannon/autocannon.js', import.meta.dir);

export interface LoadOptions {
  /** Must point at 127.0.0.1: the benches never load anything but this machine. */
  url: string;
  connections?: number;
  durationSeconds?: number;
  /** A discarded run before the measured one (JIT, connection pools). 0 = none. */
  warmupSeconds?: number;
  /** Makes autocannon compare every body; counted in `mismatches`. Slows the generator. */
  expectBody?: string;
}

export interface LoadResult {
  /** Responses per second over the measured run. */
  requestsPerSec: number;
  /** autocannon records latency in whole milliseconds: sub-ms answers read as 0 or 1. */
  p50Ms: number;
  p99Ms: number;
  /** Connection errors, timeouts included. */
  errors: number;
  non2xx: number;
  mismatches: number;
  /** Responses received during the measured run. */
  total: number;
}

/** The subset of autocannon's `--json` result that is read here. */
interface AutocannonJson {
  errors: number;
  mismatches: number;
  non2xx: number;
  latency: { p50: number; p99: number };
  /** Seconds the measured run actually lasted. */
  duration: number;
  requests: { total: number };
}

export const LOAD_LIMITS = { connections: 200, durationSeconds: 30 } as const;

/** Every bench load goes to this machine only, with bounded connections and duration. */
export function assertBounded(url: string, connections: number, durationSeconds: number): void {
  const { hostname } = new URL(url);
  if (hostname !== '127.0.0.1') throw new Error(`load targets 127.0.0.1 only, got ${hostname}`);
  if (!(connections >= 1 && connections <= LOAD_LIMITS.connections))
    throw new Error(`connections must be 1..${LOAD_LIMITS.connections}, got ${connections}`);
  if (!(durationSeconds > 0 && durationSeconds <= LOAD_LIMITS.durationSeconds))
    throw new Error(`durationSeconds must be in (0, ${LOAD_LIMITS.durationSeconds}], got ${durationSeconds}`);
}

function nodeBinary(): string {
  const node = Bun.which('node');
  if (!node || !existsSync(AUTOCANNON))
    throw new Error('the load benches need `node` on PATH and node_modules/autocannon');
  return node;
}

async function autocannon(
  url: string,
  connections: number,
  seconds: number,
  expectBody?: string,
): Promise<AutocannonJson> {
  const args = [
    AUTOCANNON,
    '--json', // one JSON document on stdout, no progress bar
    '--no-progress',
    '--connections',
    String(connections),
    '--duration',
    String(seconds),
    '--pipelining',
    '1', // one request in flight per connection, as real clients do
    '--timeout',
    '5', // seconds before a request counts as a timeout (an error)
    ...(expectBody === undefined ? [] : ['--expectBody', expectBody]),
    url,
  ];
  const child = Bun.spawn([nodeBinary(), ...args], {
    stdout: 'pipe',
    stderr: 'pipe',
    // Hard stop if autocannon hangs: its own duration plus start-up slack.
    timeout: (seconds + 15) * 1000,
  });
  // Awaiting keeps the bench process idle (it may be the server) while the load runs.
  const [stdout, stderr, code] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  if (code !== 0) throw new Error(`autocannon exited with ${code} (signal ${child.signalCode}): ${stderr.trim()}`);
  const line = stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(line) as AutocannonJson;
  } catch {
    throw new Error(`autocannon printed no JSON result: ${stdout.slice(0, 500)} ${stderr.slice(0, 500)}`);
  }
}

/** Runs a warm-up (discarded) then a measured autocannon run against `url`. */
export async function runLoad({
  url,
  connections = 50,
  durationSeconds = 5,
  warmupSeconds = 1,
  expectBody,
}: LoadOptions): Promise<LoadResult> {
  assertBounded(url, connections, durationSeconds);
  if (warmupSeconds > 0) await autocannon(url, connections, warmupSeconds, expectBody);
  const r = await autocannon(url, connections, durationSeconds, expectBody);
  return {
    // Responses over the run's real duration (autocannon's per-second sample average counts a
    // partial last sample, which makes it disagree with the total).
    requestsPerSec: r.requests.total / r.duration,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    errors: r.errors,
    non2xx: r.non2xx,
    mismatches: r.mismatches,
    total: r.requests.total,
  };
}

export interface Run extends LoadResult {
  /** CPU time this process (the server under test) spent per response. */
  cpuMicrosPerRequest: number;
  /** Share of one core the server process used during the run (wall time includes node start). */
  cpuPercent: number;
}

/** One load run against a server living in this process, with the CPU time it spent serving. */
export async function measureInProcess(options: LoadOptions): Promise<Run> {
  const before = process.cpuUsage();
  const started = performance.now();
  const load = await runLoad(options);
  const cpu = process.cpuUsage(before);
  const micros = cpu.user + cpu.system;
  return {
    ...load,
    cpuMicrosPerRequest: micros / Math.max(load.total, 1),
    cpuPercent: micros / 10 / (performance.now() - started),
  };
}
