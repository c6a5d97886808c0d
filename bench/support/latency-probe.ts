/**
 * Latency of a cheap endpoint (GET /health) measured from a separate Bun process while
 * something else happens (a large upload): start the probe, wait until it is `ready`, do the
 * work, then `stop()` for the figures. The probe is paced (each connection at most one request
 * every `intervalMs`), so it reads the server's stalls instead of saturating a core of this
 * 2-core machine. Bounded: 127.0.0.1 only, at most 50 connections and 120 s.
 */
import { join } from 'node:path';

export interface ProbeJob {
  url: string;
  connections: number;
  intervalMs: number;
  warmupMs: number;
  maxSeconds: number;
  timeoutMs: number;
  /** Requests slower than each of these are counted in `over`. */
  thresholdsMs: number[];
}

export interface ProbeReport {
  /** Responses recorded (after the warm-up). */
  total: number;
  errors: number;
  firstError?: string;
  statuses: Record<string, number>;
  elapsedMs: number;
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Threshold in ms -> responses slower than it. */
  over: Record<string, number>;
}

export interface ProbeOptions {
  url: string;
  connections?: number;
  intervalMs?: number;
  warmupMs?: number;
  maxSeconds?: number;
  thresholdsMs?: readonly number[];
}

const WORKER = join(import.meta.dir, 'latency-probe-worker.ts');
const LIMITS = { connections: 50, seconds: 120 } as const;

export interface RunningProbe {
  pid: number;
  /** Stops the probe and returns its figures. */
  stop(): Promise<ProbeReport>;
  /** Kills it without waiting for figures (cleanup after a failure). */
  kill(): void;
}

/** Starts the probe and resolves once its warm-up is over and it records. */
export async function startProbe(options: ProbeOptions): Promise<RunningProbe> {
  const job: ProbeJob = {
    url: options.url,
    connections: options.connections ?? 20,
    intervalMs: options.intervalMs ?? 20,
    warmupMs: options.warmupMs ?? 500,
    maxSeconds: options.maxSeconds ?? 60,
    timeoutMs: 5_000,
    thresholdsMs: [...(options.thresholdsMs ?? [20])],
  };
  if (new URL(job.url).hostname !== '127.0.0.1') throw new Error(`the probe targets 127.0.0.1 only, got ${job.url}`);
  if (!(job.connections >= 1 && job.connections <= LIMITS.connections))
    throw new Error(`connections must be 1..${LIMITS.connections}`);
  if (!(job.maxSeconds > 0 && job.maxSeconds <= LIMITS.seconds))
    throw new Error(`maxSeconds must be in (0, ${LIMITS.seconds}]`);

  const child = Bun.spawn([process.execPath, WORKER, JSON.stringify(job)], {
    stdin: 'pipe',
    stdout: 'pipe',
    stderr: 'pipe',
    // Its own bound, plus start-up and the last timeouts.
    timeout: (job.maxSeconds + 15) * 1000 + job.warmupMs,
  });
  const stderr = new Response(child.stderr).text();
  const lines: string[] = [];
  let buffered = '';
  const { promise: ready, resolve, reject } = Promise.withResolvers<void>();
  const reading = (async () => {
    const decoder = new TextDecoder();
    for await (const chunk of child.stdout) {
      buffered += decoder.decode(chunk);
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (line === 'ready') resolve();
        else if (line) lines.push(line);
      }
    }
    reject(new Error(`the latency probe exited before it was ready: ${await stderr}`));
  })();
  await ready;
  return {
    pid: child.pid,
    async stop() {
      child.stdin.end();
      const code = await child.exited;
      await reading.catch(() => {});
      if (code !== 0)
        throw new Error(`the latency probe exited with ${code} (signal ${child.signalCode}): ${await stderr}`);
      const last = (buffered.trim() || lines.at(-1)) ?? '';
      try {
        return JSON.parse(last) as ProbeReport;
      } catch {
        throw new Error(
          `the latency probe printed no JSON result: ${last.slice(0, 500)} ${(await stderr).slice(0, 500)}`,
        );
      }
    },
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
