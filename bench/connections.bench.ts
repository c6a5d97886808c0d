/**
 * Memory under many idle keep-alive connections (issue 16: peak RSS with 2,000 < 200 MB).
 * dist/techbot starts alone in an empty temp dir (fresh DATA_DIR); child processes open 2,000
 * keep-alive connections to 127.0.0.1, each sending one GET /health and keeping its socket open;
 * while all are open we read the server's VmRSS and VmHWM (peak), check every connection got its
 * 200 and is still open, then stop the server with SIGTERM (exit 0). The ceiling is a compiled
 * hello-world Bun.serve measured the same way.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Binaries, freePort, HEALTH_BODY, prepareBinaries } from './support/binaries.ts';
import { printTable, ratio, verdict } from './support/table.ts';

const CLIENT = join(import.meta.dir, 'support/keepalive-client.ts');
const CONNECTIONS = 2_000;
/** Clients, each with its share of the connections (a process keeps its file descriptors low). */
const CLIENTS = 4;
const TARGET_PEAK_MB = 200;
const BODY = HEALTH_BODY;

let binaries: Binaries;

beforeAll(async () => {
  binaries = await prepareBinaries('connections');
});

afterAll(() => binaries?.remove());

function memoryMb(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

/** The lines a child writes on stdout, one at a time. */
function lines(stream: ReadableStream<Uint8Array>) {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  return async (): Promise<string> => {
    while (!buffered.includes('\n')) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`client ended before a line: ${buffered}`);
      buffered += decoder.decode(value, { stream: true });
    }
    const end = buffered.indexOf('\n');
    const line = buffered.slice(0, end);
    buffered = buffered.slice(end + 1);
    return line;
  };
}

interface Run {
  idleMb: number;
  withConnectionsMb: number;
  peakMb: number;
  ok: number;
  stillOpen: number;
  exitCode: number | null;
}

async function measure(binary: string, name: string): Promise<Run> {
  const dir = join(binaries.work, name);
  mkdirSync(dir);
  const port = freePort();
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, PORT: String(port), HOST: '127.0.0.1' };
  const server = Bun.spawn([binary, 'serve'], {
    cwd: dir,
    env: { ...env, DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'warn' },
    stdout: 'ignore',
    stderr: 'inherit',
  });
  const clients: ReturnType<typeof spawnClient>[] = [];
  function spawnClient(count: number) {
    return Bun.spawn([process.execPath, CLIENT, String(port), String(count), '/health', BODY], {
      stdin: 'pipe',
      stdout: 'pipe',
      stderr: 'inherit',
    });
  }
  try {
    for (let started = performance.now(); ; await Bun.sleep(5)) {
      if (server.exitCode !== null) throw new Error(`${name} exited with ${server.exitCode} before answering`);
      if (performance.now() - started > 10_000) throw new Error(`${name} did not answer /health within 10 s`);
      const response = await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined);
      if (response?.status === 200 && (await response.text()) === BODY) break;
    }
    await Bun.sleep(1000);
    const idleMb = memoryMb(server.pid).rss;
    for (let i = 0; i < CLIENTS; i++) clients.push(spawnClient(CONNECTIONS / CLIENTS));
    const readers = clients.map((client) => lines(client.stdout));
    const tallies = await Promise.all(readers.map(async (next) => JSON.parse(await next()) as { ok: number }));
    const memory = memoryMb(server.pid);
    for (const client of clients) client.stdin.write('check\n');
    const open = await Promise.all(readers.map(async (next) => (JSON.parse(await next()) as { open: number }).open));
    for (const client of clients) client.stdin.end();
    await Promise.all(clients.map((client) => client.exited));
    server.kill('SIGTERM');
    const stopped = await Promise.race([server.exited, Bun.sleep(5_000).then(() => 'timeout' as const)]);
    if (stopped === 'timeout') throw new Error(`${name} did not stop within 5 s of SIGTERM`);
    return {
      idleMb,
      withConnectionsMb: memory.rss,
      peakMb: memory.peak,
      ok: tallies.reduce((sum, tally) => sum + tally.ok, 0),
      stillOpen: open.reduce((sum, n) => sum + n, 0),
      exitCode: server.exitCode,
    };
  } finally {
    for (const client of clients) if (client.exitCode === null) client.kill('SIGKILL');
    if (server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
  }
}

test(
  `RSS of dist/techbot with ${CONNECTIONS.toLocaleString('en-US')} keep-alive connections vs a compiled hello-world`,
  async () => {
    const ceiling = await measure(binaries.hello, 'hello');
    const app = await measure(binaries.techbot, 'techbot');
    for (const run of [ceiling, app]) {
      expect(run.ok).toBe(CONNECTIONS); // every connection got its 200 and the health body
      expect(run.stillOpen).toBe(CONNECTIONS); // kept alive, none closed by the server meanwhile
      expect(run.exitCode).toBe(0); // SIGTERM with connections open is a clean shutdown
    }
    const perConnectionKb = (run: Run) => ((run.withConnectionsMb - run.idleMb) * 1024) / CONNECTIONS;
    printTable({
      title: `Memory with ${CONNECTIONS.toLocaleString('en-US')} keep-alive connections (each answered one GET /health), ${CLIENTS} client processes on 127.0.0.1`,
      columns: ['measure', 'hello-world (ceiling)', 'techbot', 'techbot / hello', 'target', 'result'],
      rows: [
        ['idle RSS before, MB', ceiling.idleMb, app.idleMb, ratio(app.idleMb, ceiling.idleMb), '-', '-'],
        [
          'RSS with the connections open, MB',
          ceiling.withConnectionsMb,
          app.withConnectionsMb,
          ratio(app.withConnectionsMb, ceiling.withConnectionsMb),
          '-',
          '-',
        ],
        [
          'peak RSS (VmHWM), MB',
          ceiling.peakMb,
          app.peakMb,
          ratio(app.peakMb, ceiling.peakMb),
          `< ${TARGET_PEAK_MB} MB`,
          verdict(app.peakMb < TARGET_PEAK_MB),
        ],
        ['RSS per connection, kB', perConnectionKb(ceiling), perConnectionKb(app), '-', '-', '-'],
      ],
      notes: ['every connection checked: 200 with the health body, still open when memory is read; SIGTERM -> exit 0.'],
    });
  },
  { timeout: 120_000 },
);
