/**
 * The shared cache when Redis is reported up but its commands fail (it just went away and the
 * connection has not noticed yet, or it refuses commands): every call is still answered, from
 * the database or the process, each failure is logged at debug level, and an invalidation made
 * meanwhile is owed to Redis, which is tried again first on the next call.
 */
import { afterAll, expect, test } from 'bun:test';
import Redis from 'ioredis';
import { createSharedCache } from '../../src/lib/redis/cache.ts';
import type { RedisConnection, RedisState } from '../../src/lib/redis/connection.ts';
import { freePort } from '../support/app.ts';

const port = await freePort();
// Nothing listens there; no offline queue, no reconnection: each command fails at once.
const client = new Redis({
  host: '127.0.0.1',
  port,
  lazyConnect: true,
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  retryStrategy: () => null,
});
client.on('error', () => undefined);
afterAll(() => client.disconnect());

const up: RedisState = { status: 'up', since: 0 };
const listeners: ((state: RedisState) => void)[] = [];
const connection: RedisConnection = {
  client,
  state: () => up,
  isUp: () => true,
  onChange: (listener) => (listeners.push(listener), () => undefined),
  close: async () => client.disconnect(),
};

test('Redis up but failing: reads load from the database, writes and invalidations do not fail', async () => {
  const failures: string[] = [];
  const cache = createSharedCache<string>({
    name: 'catalog',
    ttlSeconds: 60,
    maxEntries: 10,
    redis: connection,
    logger: { debug: (_fields: unknown, message?: string) => void failures.push(message ?? '') },
  });
  let reads = 0;
  const load = () => (reads++, 'Bitcoin basics, 15 USD');

  expect(await cache.getOrLoad('product:TBF-2611-ABCDEF', load)).toBe('Bitcoin basics, 15 USD');
  expect(reads).toBe(1);
  expect(failures).toEqual(['redis cache: read failed, served in process']);

  // A loader's own error still reaches the caller, Redis or not.
  await expect(
    cache.getOrLoad('product:TBF-2611-ZZZZZZ', () => Promise.reject(new Error('database locked'))),
  ).rejects.toThrow('database locked');

  await cache.set('list:page=1', '[]');
  expect(await cache.get('list:page=1')).toBeUndefined();
  expect(failures).toContain('redis cache: set failed, served in process');
  expect(failures).toContain('redis cache: get failed, served in process');

  failures.length = 0;
  await cache.delete('list:page=1');
  expect(failures).toEqual(['redis cache: delete failed, served in process']);
  // The delete is owed to Redis: the next call tries to clear it first, fails, and is served in process.
  await cache.invalidatePrefix('list:');
  await cache.invalidateTag('product:TBF-2611-ABCDEF');
  await cache.clear();
  expect(await cache.size()).toBe(0);
  expect(
    failures.filter((m) => m === 'redis cache: clear after an outage failed, served in process').length,
  ).toBeGreaterThanOrEqual(4);

  // "Redis is back" while it still fails: the replay fails quietly, nothing is thrown.
  for (const listener of listeners) listener(up);
  expect(await cache.getOrLoad('product:TBF-2611-ABCDEF', load)).toBe('Bitcoin basics, 15 USD');
});
