/**
 * The Redis connection holder against a real redis-server stopped and started again: its state,
 * one log line per outage and one per recovery, and commands that fail at once while Redis is away.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createLogger } from '../../src/lib/logger.ts';
import { createRedisConnection, type RedisConnection, type RedisState } from '../../src/lib/redis/connection.ts';
import { freePort } from '../support/app.ts';
import { eventually, redisServerPath, startRedisServer, type RedisServer } from '../support/redis.ts';

/** A real logger whose lines the test reads back (levels as pino numbers them: 30 info, 40 warn). */
function logged() {
  const lines: { level: number; msg: string; [field: string]: unknown }[] = [];
  const logger = createLogger({
    level: 'info',
    destination: { write: (line: string) => void lines.push(JSON.parse(line)) },
  });
  return { lines, logger };
}

describe.skipIf(!redisServerPath)('createRedisConnection', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(() => server.cleanup());

  test('down: logged once however many reconnection attempts fail; back: logged once, by itself', async () => {
    const { lines, logger } = logged();
    let t = 1_000;
    const clock = { now: () => t };
    const redis: RedisConnection = createRedisConnection({ url: server.url, logger, clock, maxReconnectDelayMs: 50 });
    const changes: RedisState[] = [];
    redis.onChange((state) => void changes.push(state));
    expect(redis.state()).toEqual({ status: 'down', since: 1_000 });
    await eventually('the connection', () => redis.isUp());
    expect(await redis.client.ping()).toBe('PONG');

    t = 2_000;
    await server.stop();
    await eventually('the outage to be noticed', () => !redis.isUp());
    let attempts = 0;
    redis.client.on('reconnecting', () => attempts++);
    await eventually('five failed reconnection attempts', () => attempts >= 5);
    // Commands fail at once instead of waiting in a queue for Redis to return.
    await expect(redis.client.get('any')).rejects.toThrow();
    expect(redis.state()).toMatchObject({ status: 'down', since: 2_000 });
    expect(redis.state().lastError).toBeString();

    t = 3_000;
    await server.start();
    await eventually('the connection to come back', () => redis.isUp());
    expect(redis.state()).toMatchObject({ status: 'up', since: 3_000 });
    expect(changes.map((c) => c.status)).toEqual(['up', 'down', 'up']);
    expect(lines.map((l) => `${l.level} ${l.msg}`)).toEqual([
      '30 redis connected',
      '40 redis unavailable: using in-process fallbacks until it is back',
      '30 redis connected',
    ]);
    expect(lines[2]!.downMs).toBe(1_000);
    // The URL may hold a password: it is never logged.
    expect(JSON.stringify(lines)).not.toContain(server.url);

    await redis.close();
    expect(lines).toHaveLength(3);
  }, 20_000);

  test('a Redis that is not there at start is logged once as unavailable', async () => {
    const { lines, logger } = logged();
    const redis = createRedisConnection({
      url: `redis://127.0.0.1:${await freePort()}`,
      logger,
      maxReconnectDelayMs: 50,
    });
    let attempts = 0;
    redis.client.on('reconnecting', () => attempts++);
    await eventually('five failed attempts', () => attempts >= 5);
    expect(redis.state().status).toBe('down');
    expect(redis.state().lastError).toContain('ECONNREFUSED');
    expect(lines.map((l) => l.msg)).toEqual(['redis unavailable: using in-process fallbacks until it is back']);
    await redis.close();
  });
});
