import { describe, expect, test } from 'bun:test';
import { createCache } from '../../src/lib/cache.ts';
import { createMetrics, type Metrics } from '../../src/lib/metrics.ts';

// Starts at 0 on purpose: lru-cache reads a start time of 0 as "no TTL".
function fakeClock(t = 0) {
  return {
    t,
    now() {
      return this.t;
    },
    advance(ms: number) {
      this.t += ms;
    },
  };
}

/** A promise the test settles by hand, so concurrent callers really overlap. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/** The counter's value for one cache, read from the Prometheus exposition text. */
async function counter(metrics: Metrics, name: string, cache: string): Promise<number> {
  const text = await metrics.registry.getSingleMetricAsString(name);
  const line = text.split('\n').find((l) => l.startsWith(`${name}{cache="${cache}"} `));
  return line === undefined ? NaN : Number(line.split(' ')[1]);
}

describe('createCache', () => {
  test('100 concurrent getOrLoad of one missing key load once and all get the value', async () => {
    const metrics = createMetrics({ version: 'test' });
    const cache = createCache<string>({ name: 'lists', ttlSeconds: 60, maxEntries: 10, metrics });
    const load = deferred<string>();
    let calls = 0;
    const loader = () => (calls++, load.promise);

    const all = Promise.all(Array.from({ length: 100 }, () => cache.getOrLoad('list:page=1', loader)));
    load.resolve('[{"id":"TBF-2611-ABCDEF"}]');

    expect(await all).toEqual(Array(100).fill('[{"id":"TBF-2611-ABCDEF"}]'));
    expect(calls).toBe(1);
    // One load is one miss; the 99 callers who joined it never reached the loader.
    expect(await counter(metrics, 'cache_misses_total', 'lists')).toBe(1);
    expect(await counter(metrics, 'cache_hits_total', 'lists')).toBe(99);
  });

  test('an entry is served until its TTL has passed, then reloaded', async () => {
    const clock = fakeClock();
    const cache = createCache<string>({ name: 'ttl', ttlSeconds: 60, maxEntries: 10, clock });
    let version = 0;
    const loader = async () => `v${++version}`;

    expect(await cache.getOrLoad('k', loader)).toBe('v1');
    clock.advance(60_000);
    expect(await cache.getOrLoad('k', loader)).toBe('v1');
    expect(await cache.get('k')).toBe('v1');
    clock.advance(1);
    expect(await cache.get('k')).toBeUndefined();
    expect(await cache.getOrLoad('k', loader)).toBe('v2');
  });

  test('a per-entry ttlMs overrides the cache TTL', async () => {
    const clock = fakeClock(1_700_000_000_000);
    const cache = createCache<string>({ name: 'ttl', ttlSeconds: 3600, maxEntries: 10, clock });
    await cache.set('short', 'a', { ttlMs: 5_000 });
    await cache.set('long', 'b');

    clock.advance(5_001);
    expect(await cache.get('short')).toBeUndefined();
    expect(await cache.get('long')).toBe('b');
  });

  test('beyond maxEntries the least recently used entry is evicted and counted', async () => {
    const metrics = createMetrics({ version: 'test' });
    const cache = createCache<string>({ name: 'small', ttlSeconds: 60, maxEntries: 3, metrics });
    await cache.set('a', '1');
    await cache.set('b', '2');
    await cache.set('c', '3');
    await cache.get('a'); // b is now the least recently used
    await cache.set('d', '4');

    expect(await cache.get('b')).toBeUndefined();
    expect([await cache.get('a'), await cache.get('c'), await cache.get('d')]).toEqual(['1', '3', '4']);
    expect(await cache.size()).toBe(3);
    expect(await counter(metrics, 'cache_evictions_total', 'small')).toBe(1);

    // Deletes, overwrites and invalidations are not evictions.
    await cache.delete('a');
    await cache.set('c', '33');
    await cache.invalidatePrefix('d');
    expect(await counter(metrics, 'cache_evictions_total', 'small')).toBe(1);
  });

  test('beyond maxBytes the least recently used entries are evicted and counted; an entry larger than the bound is not kept', async () => {
    const metrics = createMetrics({ version: 'test' });
    // Room for two 100 kB pages (2 bytes a character, plus keys and bookkeeping), not three.
    const cache = createCache<string>({ name: 'pages', ttlSeconds: 60, maxEntries: 1000, maxBytes: 250_000, metrics });
    const page = (c: string) => c.repeat(50_000);
    await cache.getOrLoad('p1', () => page('a'));
    await cache.getOrLoad('p2', () => page('b'));
    await cache.get('p1'); // p2 is now the least recently used
    await cache.getOrLoad('p3', () => page('c'));

    expect(await cache.get('p2')).toBeUndefined();
    expect([await cache.get('p1'), await cache.get('p3')]).toEqual([page('a'), page('c')]);
    expect(await counter(metrics, 'cache_evictions_total', 'pages')).toBe(1);

    expect(await cache.getOrLoad('huge', () => page('h').repeat(3))).toBe(page('h').repeat(3));
    expect(await cache.get('huge')).toBeUndefined();
    expect(await cache.size()).toBe(2);
  });

  test('a full collection runs each time a quarter of maxBytes has been dropped, however entries leave', async () => {
    let collections = 0;
    const clock = fakeClock();
    const cache = createCache<string>({
      name: 'gc',
      ttlSeconds: 60,
      maxEntries: 1000,
      maxBytes: 400_000,
      clock,
      collectGarbage: () => collections++,
    });
    const page = (c: string) => c.repeat(25_000); // about 50 kB each: a quarter of the bound is two of them
    await cache.getOrLoad('p1', () => page('a'));
    await cache.getOrLoad('p2', () => page('b'));
    expect(collections).toBe(0); // nothing dropped yet
    await cache.invalidateTag('none');
    await cache.delete('p1');
    await cache.set('p2', page('c')); // replaced
    expect(collections).toBe(1);
    for (let i = 0; i < 10; i++) await cache.getOrLoad(`fill${i}`, () => page(String(i))); // evictions
    clock.advance(61_000);
    await cache.get('fill9'); // expired
    await cache.clear();
    expect(collections).toBeGreaterThanOrEqual(5);
  });

  test('loads in flight beyond maxEntries still answer their callers', async () => {
    const cache = createCache<string>({ name: 'busy', ttlSeconds: 60, maxEntries: 2 });
    const loads = ['a', 'b', 'c', 'd'].map((key) => ({ key, ...deferred<string>() }));
    const pending = loads.map(({ key, promise }) => cache.getOrLoad(key, () => promise));
    for (const { key, resolve } of loads) resolve(key.toUpperCase());

    expect(await Promise.all(pending)).toEqual(['A', 'B', 'C', 'D']);
    expect(await cache.size()).toBe(2);
  });

  test('invalidatePrefix drops exactly the keys with that prefix', async () => {
    const cache = createCache<string>({ name: 'p', ttlSeconds: 60, maxEntries: 10 });
    for (const key of ['list:page=1', 'list:page=2', 'listing', 'product:TBF-2611-ABCDEF']) await cache.set(key, key);

    await cache.invalidatePrefix('list:');

    expect(await cache.get('list:page=1')).toBeUndefined();
    expect(await cache.get('list:page=2')).toBeUndefined();
    expect(await cache.get('listing')).toBe('listing');
    expect(await cache.get('product:TBF-2611-ABCDEF')).toBe('product:TBF-2611-ABCDEF');
    expect(await cache.size()).toBe(2);
  });

  test('invalidateTag drops exactly the entries carrying that tag', async () => {
    const cache = createCache<string>({ name: 't', ttlSeconds: 60, maxEntries: 10 });
    const A = 'product:TBF-2611-AAAAAA';
    const B = 'product:TBF-2611-BBBBBB';
    await cache.set('product:A', 'a', { tags: [A] });
    await cache.getOrLoad('reviews:A', async () => 'ra', { tags: [A] });
    await cache.set('list:1', 'a,b', { tags: ['lists', A, B] });
    await cache.set('product:B', 'b', { tags: [B] });
    await cache.set('categories', 'c');

    await cache.invalidateTag(A);

    expect(await cache.get('product:A')).toBeUndefined();
    expect(await cache.get('reviews:A')).toBeUndefined();
    expect(await cache.get('list:1')).toBeUndefined();
    expect(await cache.get('product:B')).toBe('b');
    expect(await cache.get('categories')).toBe('c');
  });

  test('an invalidation during a load still answers its callers but keeps the old data out', async () => {
    const cache = createCache<string>({ name: 'race', ttlSeconds: 60, maxEntries: 10 });
    const load = deferred<string>();
    const pending = cache.getOrLoad('product:A', () => load.promise, { tags: ['product:A'] });

    await cache.invalidateTag('product:A'); // a write lands while the read is in flight
    load.resolve('old price');

    expect(await pending).toBe('old price');
    expect(await cache.get('product:A')).toBeUndefined();
    expect(await cache.getOrLoad('product:A', async () => 'new price')).toBe('new price');
  });

  test('hits and misses are counted per cache in the Prometheus registry', async () => {
    const metrics = createMetrics({ version: 'test' });
    const products = createCache<string>({ name: 'products', ttlSeconds: 60, maxEntries: 10, metrics });
    const other = createCache<string>({ name: 'other', ttlSeconds: 60, maxEntries: 10, metrics });
    expect(await counter(metrics, 'cache_hits_total', 'products')).toBe(0);

    await products.getOrLoad('a', async () => 'A'); // miss
    await products.getOrLoad('a', async () => 'A'); // hit
    await products.get('a'); // hit
    await products.get('b'); // miss
    await other.get('a'); // miss, in the other cache

    expect(await counter(metrics, 'cache_hits_total', 'products')).toBe(2);
    expect(await counter(metrics, 'cache_misses_total', 'products')).toBe(2);
    expect(await counter(metrics, 'cache_misses_total', 'other')).toBe(1);
    expect(await counter(metrics, 'cache_hits_total', 'other')).toBe(0);
  });

  test('ttlSeconds 0 disables the cache: every getOrLoad loads, nothing is kept', async () => {
    const metrics = createMetrics({ version: 'test' });
    const cache = createCache<string>({ name: 'off', ttlSeconds: 0, maxEntries: 10, metrics });
    let calls = 0;
    const loader = async () => `v${++calls}`;

    expect(await cache.getOrLoad('k', loader)).toBe('v1');
    expect(await cache.getOrLoad('k', loader)).toBe('v2');
    await cache.set('k', 'stored');
    expect(await cache.get('k')).toBeUndefined();
    expect(await cache.size()).toBe(0);
    expect(await counter(metrics, 'cache_misses_total', 'off')).toBe(3);
    expect(await counter(metrics, 'cache_hits_total', 'off')).toBe(0);
  });

  test('a loader error reaches every waiting caller and is not cached', async () => {
    const cache = createCache<string>({ name: 'err', ttlSeconds: 60, maxEntries: 10 });
    const load = deferred<string>();
    const failing = Array.from({ length: 3 }, () => cache.getOrLoad('product:X', () => load.promise));
    load.reject(new Error('database is locked'));

    const results = await Promise.allSettled(failing);
    expect(results.map((r) => r.status === 'rejected' && (r.reason as Error).message)).toEqual(
      Array(3).fill('database is locked'),
    );
    expect(await cache.get('product:X')).toBeUndefined();
    expect(await cache.getOrLoad('product:X', async () => 'ok')).toBe('ok');
  });

  test('rejects settings that would silently mean something else', async () => {
    expect(() => createCache({ name: 'x', ttlSeconds: -1, maxEntries: 10 })).toThrow(RangeError);
    expect(() => createCache({ name: 'x', ttlSeconds: 60, maxEntries: 0 })).toThrow(RangeError);
    expect(() => createCache({ name: 'x', ttlSeconds: 60, maxEntries: 10, maxBytes: 0 })).toThrow(RangeError);
    const cache = createCache<string>({ name: 'x', ttlSeconds: 60, maxEntries: 10 });
    // lru-cache would read a ttl of 0 as "never expires".
    await expect(cache.set('k', 'v', { ttlMs: 0 })).rejects.toThrow(RangeError);
  });
});
