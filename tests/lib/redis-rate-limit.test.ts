/**
 * The shared limiter against a real redis-server: two limiter instances on two connections stand
 * for two processes. Redis stopped mid-test: every hit is still answered (in-process count), and
 * the shared count is back once Redis is.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { RedisConnection } from '../../src/lib/redis/connection.ts';
import { createSharedRateLimiter } from '../../src/lib/redis/rate-limit.ts';
import { connectTo, eventually, redisServerPath, startRedisServer, type RedisServer } from '../support/redis.ts';

test('without Redis it counts in process: 15 allowed, the 16th refused with a Retry-After', async () => {
  const limiter = createSharedRateLimiter({ name: 'api', limit: 15, windowSeconds: 60 });
  const decisions = [];
  for (let i = 0; i < 16; i++) decisions.push(await limiter.hit('ip:203.0.113.7'));
  expect(decisions.slice(0, 15).every((d) => d.allowed)).toBe(true);
  expect(decisions[14]!.remaining).toBe(0);
  const refused = decisions[15]!;
  expect(refused).toMatchObject({ allowed: false, limit: 15, remaining: 0 });
  expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
  expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60);
  // Another client has its own count; a reset gives the first one its quota back.
  expect((await limiter.hit('ip:198.51.100.2')).allowed).toBe(true);
  await limiter.reset('ip:203.0.113.7');
  expect(await limiter.peek('ip:203.0.113.7')).toMatchObject({ allowed: true, remaining: 15 });
});

describe.skipIf(!redisServerPath)('with a real redis-server', () => {
  let server: RedisServer;
  let connections: RedisConnection[];
  beforeAll(async () => {
    server = await startRedisServer();
    connections = [connectTo(server, 'process-a'), connectTo(server, 'process-b')];
    await eventually('both connections up', () => connections.every((c) => c.isUp()));
  });
  afterAll(async () => {
    await Promise.all(connections.map((c) => c.close()));
    await server.cleanup();
  });

  const pair = (name: string) =>
    connections.map((redis) => createSharedRateLimiter({ name, limit: 15, windowSeconds: 60, redis }));

  test('a limit of 15 holds across two processes: the 16th request is refused whichever one gets it', async () => {
    const [a, b] = pair('shared');
    const answers = [];
    for (let i = 0; i < 15; i++) answers.push(await (i % 2 ? b! : a!).hit('key:SELLER1'));
    expect(answers.map((d) => d.allowed)).toEqual(Array(15).fill(true));
    expect(answers.map((d) => d.remaining)).toEqual([14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    // Both would refuse the 16th, each for the other's requests too.
    expect((await a!.hit('key:SELLER1')).allowed).toBe(false);
    expect((await b!.hit('key:SELLER1')).allowed).toBe(false);
    expect((await b!.peek('key:SELLER1')).allowed).toBe(false);
    // Concurrent hits from both are counted atomically: exactly 15 of 40 get through.
    const burst = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? b! : a!).hit('key:SELLER2')));
    expect(burst.filter((d) => d.allowed)).toHaveLength(15);
    // A reset through one process frees the key for both.
    await a!.reset('key:SELLER1');
    expect((await b!.hit('key:SELLER1')).remaining).toBe(14);
  });

  test('Redis stopped: every hit is still answered (in-process count); back: the count is shared again', async () => {
    const [a, b] = pair('outage');
    await server.stop();
    await eventually('both connections to notice', () => connections.every((c) => !c.isUp()));
    // Each process counts alone while Redis is away: the limit holds per process.
    const alone = [];
    for (let i = 0; i < 16; i++) alone.push(await a!.hit('ip:203.0.113.9'));
    expect(alone.filter((d) => d.allowed)).toHaveLength(15);
    expect((await b!.hit('ip:203.0.113.9')).allowed).toBe(true);

    await server.start();
    await eventually('both connections back', () => connections.every((c) => c.isUp()));
    const shared = [];
    for (let i = 0; i < 16; i++) shared.push(await (i % 2 ? b! : a!).hit('ip:203.0.113.9'));
    expect(shared.map((d) => d.allowed)).toEqual([...Array(15).fill(true), false]);
  }, 20_000);
});
