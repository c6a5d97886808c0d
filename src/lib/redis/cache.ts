import { createCache, type Cache, type CacheEntryOptions, type CacheOptions } from '../cache.ts';
import type { Logger } from '../logger.ts';
import { createCacheStore } from './cache-store.ts';
import type { RedisConnection } from './connection.ts';

export interface SharedCacheOptions<V> extends CacheOptions<V> {
  /** Unset: the in-process cache alone, as with a single process. */
  redis?: RedisConnection;
  /** Prefix of this cache's Redis keys; default `techbot:cache:<name>:`. */
  keyPrefix?: string;
  /**
   * Time-to-live of the in-process entries kept while Redis is down. Processes do not see each
   * other's writes then, so this bounds how stale a read can be; default the smaller of 10 s and
   * `ttlSeconds`.
   */
  fallbackTtlSeconds?: number;
  /** Failed Redis commands, at debug level (the connection logs each outage once). */
  logger?: Pick<Logger, 'debug'>;
}

const NO_TAGS: readonly string[] = [];

/**
 * The `Cache` contract on Redis, shared by every process: a write or an invalidation on one is
 * seen by the next read on any other. Values travel as JSON. While Redis is down, or when one of
 * its commands fails, the call is served by an in-process cache instead and never fails because
 * of Redis; an invalidation made there is replayed on Redis as a clear of the whole cache before
 * Redis is used again, since the other processes may hold what it invalidated. A process that
 * dies before Redis returns cannot replay: its invalidations then last only until the entries'
 * time-to-live. `maxEntries` bounds the in-process cache only; Redis' own `maxmemory` bounds Redis.
 */
export function createSharedCache<V extends {}>(options: SharedCacheOptions<V>): Cache<V> {
  const { redis, name, ttlSeconds, metrics, logger } = options;
  const fallbackTtlSeconds = options.fallbackTtlSeconds ?? Math.min(10, ttlSeconds);
  const local = createCache<V>({ ...options, ttlSeconds: redis ? fallbackTtlSeconds : ttlSeconds });
  if (!redis || ttlSeconds === 0) return local;
  const store = createCacheStore(redis.client, options.keyPrefix ?? `techbot:cache:${name}:`);
  const [hits, misses] = [metrics?.cache.hits, metrics?.cache.misses].map((c) => c?.labels({ cache: name }));
  const ttlOf = (o: CacheEntryOptions | undefined) => {
    if (o?.ttlMs !== undefined && !(o.ttlMs > 0)) throw new RangeError(`cache "${name}": ttlMs must be > 0`);
    return o?.ttlMs ?? ttlSeconds * 1000;
  };
  // Loads started by this process, shared by its concurrent callers of one key.
  const inflight = new Map<string, Promise<V>>();
  let servedLocally = false;
  let unsyncedInvalidation = false;
  // Replays at once when Redis is back, rather than at this process' next call, to narrow the
  // time during which another process could still read what was invalidated here.
  redis.onChange((state) => state.status === 'up' && void redisReady());

  /** Whether to use Redis for this call; brings Redis up to date with what was invalidated without it. */
  async function redisReady(): Promise<boolean> {
    if (!redis!.isUp()) return false;
    if (unsyncedInvalidation) {
      try {
        await store.dropPrefix('');
        unsyncedInvalidation = false;
      } catch (error) {
        return failed('clear after an outage', error);
      }
    }
    // Entries kept locally would be stale by the next outage: the next one starts empty.
    if (servedLocally) {
      servedLocally = false;
      await local.clear();
    }
    return true;
  }

  function failed(what: string, error: unknown): false {
    logger?.debug({ cache: name, err: error }, `redis cache: ${what} failed, served in process`);
    return false;
  }

  /** Runs `remote` on Redis when it can, else (or when it fails) `fallback` in process. */
  async function either<T>(what: string, remote: () => Promise<T>, fallback: () => Promise<T>) {
    if (await redisReady()) {
      try {
        return await remote();
      } catch (error) {
        failed(what, error);
      }
    }
    servedLocally = true;
    return fallback();
  }

  /** An invalidation made in process only is owed to Redis. */
  const invalidate = (what: string, remote: () => Promise<void>, fallback: () => Promise<void>) =>
    either(what, remote, () => ((unsyncedInvalidation = true), fallback()));

  function forgetLoads(match: (key: string) => boolean): void {
    for (const key of inflight.keys()) if (match(key)) inflight.delete(key);
  }

  async function load(key: string, loader: () => V | Promise<V>, ttlMs: number, tags: readonly string[]) {
    const found = await store.read(key);
    if (found.json !== null) {
      hits?.inc();
      return JSON.parse(found.json) as V;
    }
    misses?.inc();
    const value = await loader();
    await store.store(key, JSON.stringify(value), ttlMs, tags, found.gen).catch((error) => failed('store', error));
    return value;
  }

  return {
    name,
    get: (key) =>
      either(
        'get',
        async () => {
          const { json } = await store.read(key);
          (json === null ? misses : hits)?.inc();
          return json === null ? undefined : (JSON.parse(json) as V);
        },
        () => local.get(key),
      ),
    async set(key, value, o) {
      const ttlMs = ttlOf(o);
      const json = JSON.stringify(value);
      await either(
        'set',
        async () => void (await store.store(key, json, ttlMs, o?.tags ?? NO_TAGS)),
        () => local.set(key, value, o),
      );
    },
    async getOrLoad(key, loader, o) {
      const ttlMs = ttlOf(o);
      if (!(await redisReady())) {
        servedLocally = true;
        return local.getOrLoad(key, loader, o);
      }
      const joined = inflight.get(key);
      if (joined) {
        hits?.inc();
        return joined;
      }
      let loaded = false;
      const pending = load(key, () => ((loaded = true), loader()), ttlMs, o?.tags ?? NO_TAGS).catch((error) => {
        // The loader's own error reaches the callers; a Redis error sends the call to the local cache.
        if (loaded) throw error;
        failed('read', error);
        servedLocally = true;
        return local.getOrLoad(key, loader, o);
      });
      inflight.set(key, pending);
      try {
        return await pending;
      } finally {
        if (inflight.get(key) === pending) inflight.delete(key);
      }
    },
    async delete(key) {
      forgetLoads((k) => k === key);
      await invalidate(
        'delete',
        () => store.delete(key),
        () => local.delete(key),
      );
    },
    async invalidatePrefix(prefix) {
      forgetLoads((k) => k.startsWith(prefix));
      await invalidate(
        'invalidatePrefix',
        () => store.dropPrefix(prefix),
        () => local.invalidatePrefix(prefix),
      );
    },
    async invalidateTag(tag) {
      // Loads under way are not told apart by tag here: their store is refused by the counter anyway.
      forgetLoads(() => true);
      await invalidate(
        'invalidateTag',
        () => store.dropTag(tag),
        () => local.invalidateTag(tag),
      );
    },
    async clear() {
      forgetLoads(() => true);
      await invalidate(
        'clear',
        () => store.dropPrefix(''),
        () => local.clear(),
      );
    },
    size: () =>
      either(
        'size',
        () => store.count(),
        () => local.size(),
      ),
  };
}
