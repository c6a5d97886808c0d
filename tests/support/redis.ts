import type { Subprocess } from 'bun';
import { createRedisConnection, type RedisConnection } from '../../src/lib/redis/connection.ts';
import { tempDir } from './env.ts';
import { freePort } from './app.ts';

/** The Debian `redis-server`, or undefined: tests that need it skip and say why. */
export const redisServerPath = Bun.which('redis-server') ?? undefined;
if (!redisServerPath) console.warn('Redis tests skipped: no `redis-server` on PATH (Debian package `redis-server`).');

/**
 * A real redis-server on 127.0.0.1 that a test can stop and start again on the same port. Like a
 * production Redis it keeps its data in an RDB file, so what it held before a stop is back after.
 */
export interface RedisServer {
  readonly url: string;
  /** Stops it (SIGTERM: it saves, then exits) and waits for the process to end. */
  stop(): Promise<void>;
  /** Starts it again on the same port, with the saved data. */
  start(): Promise<void>;
  /** Stops it for good and removes its files. */
  cleanup(): Promise<void>;
}

export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  const dir = tempDir('techbot-redis-');
  let proc: Subprocess<'ignore', 'pipe', 'pipe'> | undefined;

  async function start() {
    const args = [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir.path,
      '--save',
      '3600 1',
      '--appendonly',
      'no',
    ];
    const started = Bun.spawn([redisServerPath!, ...args], { stdin: 'ignore', stdout: 'pipe', stderr: 'pipe' });
    proc = started;
    const reader = started.stdout.getReader();
    const decoder = new TextDecoder();
    let log = '';
    while (!log.includes('Ready to accept connections')) {
      const { done, value } = await reader.read();
      if (done) throw new Error(`redis-server did not start:\n${log}${await new Response(started.stderr).text()}`);
      log += decoder.decode(value);
    }
    // Keep reading so a full pipe never blocks the server.
    void (async () => {
      while (!(await reader.read()).done);
    })();
  }

  async function stop() {
    proc?.kill('SIGTERM');
    await proc?.exited;
    proc = undefined;
  }

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    stop,
    start,
    async cleanup() {
      await stop();
      dir.cleanup();
    },
  };
}

/** A connection holder as the app makes one, quick to notice a return of Redis, silent in the test log. */
export function connectTo(server: RedisServer, name: string): RedisConnection {
  const quiet = { info() {}, warn() {} };
  return createRedisConnection({ url: server.url, logger: quiet, name, maxReconnectDelayMs: 100 });
}

/** Polls `check` every 20 ms until it resolves true, or fails after `timeoutMs` saying what was awaited. */
export async function eventually(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(20);
  }
}
