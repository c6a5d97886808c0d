/**
 * The shared cache against a real redis-server: two caches of one name on two connections stand
 * for two processes. Redis stopped mid-test: no call fails, and what was invalidated meanwhile
 * is not served stale once Redis is back.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { Cache } from '../../src/lib/cache.ts';
import { createMetrics } from '../../src/lib/metrics.ts';
import { createSharedCache } from '../../src/lib/redis/cache.ts';
import type { RedisConnection } from '../../src/lib/redis/connection.ts';
import { connectTo, eventually, redisServerPath, startRedisServer, type RedisServer } from '../support/redis.ts';

/** A product row as a process would read it from the shared database. */
function database() {
  const rows = new Map<string, string>([['TBF-2611-ABCDEF', 'Bitcoin basics, 15 USD']]);
  let reads = 0;
  return {
    rows,
    get reads() {
      return reads;
    },
    load: (id: string) => () => (reads++, rows.get(id)!),
  };
}

test('without Redis it is the in-process cache', async () => {
  const cache = createSharedCache<string>({ name: 'catalog', ttlSeconds: 60, maxEntries: 10 });
  const db = database();
  expect(await cache.getOrLoad('product:TBF-2611-ABCDEF', db.load('TBF-2611-ABCDEF'))).toBe('Bitcoin basics, 15 USD');
  expect(await cache.getOrLoad('product:TBF-2611-ABCDEF', db.load('TBF-2611-ABCDEF'))).toBe('Bitcoin basics, 15 USD');
  expect(db.reads).toBe(1);
});

describe.skipIf(!redisServerPath)('with a real redis-server', () => {
  let server: RedisServer;
  let connections: RedisConnection[];
  let caches: Cache<string>[];
  const metrics = createMetrics({ version: 'test' });
  const key = 'product:TBF-2611-ABCDEF';
  const tags = ['product:TBF-2611-ABCDEF'];
  beforeAll(async () => {
    server = await startRedisServer();
    connections = [connectTo(server, 'process-a'), connectTo(server, 'process-b')];
    caches = connections.map((redis) =>
      createSharedCache<string>({ name: 'catalog', ttlSeconds: 60, maxEntries: 10, redis, metrics }),
    );
    await eventually('both connections up', () => connections.every((c) => c.isUp()));
  });
  afterAll(async () => {
    await Promise.all(connections.map((c) => c.close()));
    await server.cleanup();
  });

  test('a write through one process is seen by the next read on the other', async () => {
    const [a, b] = caches as [Cache<string>, Cache<string>];
    const db = database();
    await a.clear();
    expect(await a.getOrLoad(key, db.load('TBF-2611-ABCDEF'), { tags })).toBe('Bitcoin basics, 15 USD');
    // Process B is served what A loaded, without reading the database.
    expect(await b.getOrLoad(key, db.load('TBF-2611-ABCDEF'), { tags })).toBe('Bitcoin basics, 15 USD');
    expect(db.reads).toBe(1);

    // B updates the product and invalidates its tag: A's next read loads the new price.
    db.rows.set('TBF-2611-ABCDEF', 'Bitcoin basics, 19 USD');
    await b.invalidateTag('product:TBF-2611-ABCDEF');
    expect(await a.getOrLoad(key, db.load('TBF-2611-ABCDEF'), { tags })).toBe('Bitcoin basics, 19 USD');

    // set / get / delete / invalidatePrefix cross too.
    await a.set('list:page=1', '["TBF-2611-ABCDEF"]');
    expect(await b.get('list:page=1')).toBe('["TBF-2611-ABCDEF"]');
    await b.delete('list:page=1');
    expect(await a.get('list:page=1')).toBeUndefined();
    await a.set('list:page=2', '[]');
    await a.set('list*page=3', '[]');
    await b.invalidatePrefix('list:');
    expect(await a.get('list:page=2')).toBeUndefined();
    // The prefix is matched literally, not as a glob.
    expect(await a.get('list*page=3')).toBe('[]');
  });

  test('a load that read the database before a write on the other process does not store its old value', async () => {
    const [a, b] = caches as [Cache<string>, Cache<string>];
    const db = database();
    await a.clear();
    const { promise: readDone, resolve: finishRead } = Promise.withResolvers<void>();
    const old = db.rows.get('TBF-2611-ABCDEF')!;
    let reading = false;
    const slow = a.getOrLoad(key, async () => ((reading = true), await readDone, old), { tags });
    // While A's read is under way, B writes and invalidates.
    await eventually('A to read the database', () => reading);
    db.rows.set('TBF-2611-ABCDEF', 'Bitcoin basics, 21 USD');
    await b.invalidateTag('product:TBF-2611-ABCDEF');
    finishRead();
    expect(await slow).toBe('Bitcoin basics, 15 USD');
    expect(await b.getOrLoad(key, db.load('TBF-2611-ABCDEF'), { tags })).toBe('Bitcoin basics, 21 USD');
    expect(await a.getOrLoad(key, db.load('TBF-2611-ABCDEF'), { tags })).toBe('Bitcoin basics, 21 USD');
  });

  test('concurrent reads of one missing key in one process load it once', async () => {
    const [a] = caches as [Cache<string>];
    const db = database();
    await a.clear();
    const all = await Promise.all(Array.from({ length: 50 }, () => a.getOrLoad(key, db.load('TBF-2611-ABCDEF'))));
    expect(new Set(all)).toEqual(new Set(['Bitcoin basics, 15 USD']));
    expect(db.reads).toBe(1);
  });

  test('Redis stopped: every call still answers; an invalidation made meanwhile holds once Redis is back', async () => {
    const [a, b] = caches as [Cache<string>, Cache<string>];
    const db = database();
    await a.clear();
    expect(await a.getOrLoad(key, db.load('TBF-2611-ABCDEF'), { tags })).toBe('Bitcoin basics, 15 USD');

    await server.stop();
    await eventually('both connections to notice', () => connections.every((c) => !c.isUp()));
    // In process now: reads load and are cached locally, writes and invalidations do not fail.
    expect(await b.getOrLoad(key, db.load('TBF-2611-ABCDEF'), { tags })).toBe('Bitcoin basics, 15 USD');
    await b.set('list:page=1', '[]');
    expect(await b.get('list:page=1')).toBe('[]');
    db.rows.set('TBF-2611-ABCDEF', 'Bitcoin basics, 25 USD');
    await b.invalidateTag('product:TBF-2611-ABCDEF');
    expect(await b.getOrLoad(key, db.load('TBF-2611-ABCDEF'), { tags })).toBe('Bitcoin basics, 25 USD');
    expect(await b.size()).toBe(2);

    // Redis comes back with its saved data, the old price among it; B's invalidation is replayed.
    await server.start();
    await eventually('both connections back', () => connections.every((c) => c.isUp()));
    await eventually('the old price to be gone from Redis', async () => (await a.get(key)) === undefined);
    expect(await a.getOrLoad(key, db.load('TBF-2611-ABCDEF'), { tags })).toBe('Bitcoin basics, 25 USD');
    expect(await b.getOrLoad(key, db.load('TBF-2611-ABCDEF'), { tags })).toBe('Bitcoin basics, 25 USD');
  }, 20_000);
});
