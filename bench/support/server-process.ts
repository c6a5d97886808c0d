/**
 * Servers under test as child processes, so that their memory can be read from outside
 * (/proc/<pid>/status) and their CPU is not the bench process's: `bun src/main.ts serve`, and
 * the raw ceiling of the files bench (raw-file-server.ts). Always on 127.0.0.1. Stopped by
 * their own pid, never by name.
 */
import type { Subprocess } from 'bun';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dir, '../..');
const MAIN = join(ROOT, 'src/main.ts');
const RAW_FILE_SERVER = join(import.meta.dir, 'raw-file-server.ts');
const START_TIMEOUT_MS = 15_000;

export interface ChildServer {
  proc: Subprocess<'ignore', 'pipe', 'pipe'>;
  pid: number;
  url: string;
  /** What the child wrote (kept for error messages). */
  output(): string;
  /** SIGTERM, then SIGKILL if it has not exited within 5 s. */
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const probe = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response() });
  const port = probe.port!;
  await probe.stop(true);
  return port;
}

/** Starts `command` with PORT set, and resolves once GET /health answers 200. */
async function startChild(command: string[], port: number, env: Record<string, string>): Promise<ChildServer> {
  const url = `http://127.0.0.1:${port}`;
  const proc = Bun.spawn(command, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', PORT: String(port), ...env },
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
  });
  let text = '';
  const decoder = new TextDecoder();
  const drain = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream) text = (text + decoder.decode(chunk)).slice(-20_000);
  };
  void drain(proc.stdout);
  void drain(proc.stderr);
  const server: ChildServer = {
    proc,
    pid: proc.pid,
    url,
    output: () => text,
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGTERM');
      const stopped = await Promise.race([proc.exited, Bun.sleep(5_000).then(() => 'timeout' as const)]);
      if (stopped === 'timeout') {
        proc.kill('SIGKILL');
        await proc.exited;
      }
    },
  };
  const deadline = performance.now() + START_TIMEOUT_MS;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`${command.join(' ')} exited with ${proc.exitCode}:\n${text}`);
    const response = await fetch(`${url}/health`).catch(() => undefined);
    if (response?.status === 200) {
      await response.arrayBuffer();
      return server;
    }
    await response?.arrayBuffer();
    if (performance.now() > deadline) {
      await server.stop();
      throw new Error(`${command.join(' ')} did not answer /health within ${START_TIMEOUT_MS} ms:\n${text}`);
    }
    await Bun.sleep(25);
  }
}

/**
 * `bun src/main.ts serve` on a free port of 127.0.0.1, with PUBLIC_URL its own URL (download
 * links need one). `env` holds DATA_DIR, ADMIN_API_KEY and the rest.
 */
export async function startTechbot(env: Record<string, string>): Promise<ChildServer> {
  const port = await freePort();
  return startChild([process.execPath, MAIN, 'serve'], port, {
    HOST: '127.0.0.1',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    ...env,
  });
}

/** The ceiling: a bare Bun.serve moving bytes between HTTP and files under `dir`. */
export async function startRawFileServer(dir: string): Promise<ChildServer> {
  return startChild([process.execPath, RAW_FILE_SERVER], await freePort(), { RAW_DIR: dir });
}

/** CPU time (user + system) a process has used so far, in milliseconds (Linux, /proc/<pid>/stat). */
export function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

/** CPU time of each thread of a process, in milliseconds, by `tid:name` (Linux, /proc/<pid>/task). */
export function threadCpuMs(pid: number): Map<string, number> {
  const threads = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      threads.set(`${tid}:${name}`, ((Number(fields[11]) + Number(fields[12])) * 1000) / 100);
    } catch {
      // the thread has exited
    }
  }
  return threads;
}

/**
 * Scheduler figures of one thread (the main thread: tid = pid), in milliseconds: time it ran on
 * a CPU, and time it was runnable but waited for one (run queue). Linux /proc/<pid>/task/<tid>/schedstat.
 */
export function schedOf(pid: number, tid = pid): { ranMs: number; waitedMs: number } {
  const [ran, waited] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').trim().split(' ').map(Number);
  return { ranMs: ran! / 1e6, waitedMs: waited! / 1e6 };
}

/** Busy CPU time of the whole machine (all CPUs: not idle, not waiting for I/O), in milliseconds. */
export function machineBusyMs(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  return ((user + nice + system + irq + softirq + steal) * 1000) / 100;
}
