import { LRUCache } from 'lru-cache';
import { systemClock, type Clock } from './clock.ts';
import type { Metrics } from './metrics.ts';

export interface CacheEntryOptions {
  /** This entry's time-to-live instead of the cache's; must be > 0. */
  ttlMs?: number;
  /** Labels for `invalidateTag`, e.g. `product:TBF-2611-ABCDEF`. */
  tags?: readonly string[];
}

/**
 * What callers depend on. Every method returns a promise so that a shared backend (Redis) can
 * implement the same contract; the in-process cache does its work before its promise is returned.
 */
export interface Cache<V extends {}> {
  readonly name: string;
  get(key: string): Promise<V | undefined>;
  set(key: string, value: V, options?: CacheEntryOptions): Promise<void>;
  /**
   * The cached value, or the loader's: concurrent calls for one missing key share one load. A loader
   * error reaches every waiting caller and nothing is cached.
   */
  getOrLoad(key: string, loader: () => V | Promise<V>, options?: CacheEntryOptions): Promise<V>;
  delete(key: string): Promise<void>;
  invalidatePrefix(prefix: string): Promise<void>;
  invalidateTag(tag: string): Promise<void>;
  clear(): Promise<void>;
  /** Entries held, counting loads in flight. */
  size(): Promise<number>;
}

export interface CacheOptions<V> {
  /** The `cache` label of the metrics. */
  name: string;
  /** Default time-to-live (config `CACHE_TTL`); 0 disables the cache: nothing is kept, every getOrLoad loads. */
  ttlSeconds: number;
  maxEntries: number;
  /**
   * Bound on the bytes held (config `CACHE_MAX_MB`; default 64 MiB): past it the least recently
   * used entries are evicted. Counting entries alone let 10,000 pages of 0.5-1 MB each grow the
   * process past 1 GB.
   */
  maxBytes?: number;
  /** Estimated bytes of a value; by default those of the value (or its JSON) as a string. */
  sizeOf?: (value: V) => number;
  /**
   * Runs a full garbage collection; called each time entries worth a quarter of maxBytes have
   * been dropped (evicted, expired, invalidated or replaced). Dropped pages are garbage, but
   * they lived long enough to be old, and the collector left to its own pace let RSS grow by
   * 310 MB while this cache held 64 MB (1,000 distinct 0.5 MB pages, bench/catalog-memory.bench.ts;
   * 98 MB with this). A full collection of such a heap takes about 12 ms. Default: Bun.gc(true).
   */
  collectGarbage?: () => void;
  metrics?: Pick<Metrics, 'cache'>;
  clock?: Clock;
}

/** Tags travel with the value, so invalidation never consults a side index that could drift from lru-cache. */
type Entry<V> = {
  value: V;
  tags: readonly string[];
  /** What the entry counts against maxBytes, set when lru-cache sizes it; read when it is dropped. */
  bytes?: number;
};
/** A fetch's context: what the caller that started the load asked for. */
type Load<V> = { loader: () => V | Promise<V>; tags: readonly string[] };

const NO_TAGS: readonly string[] = [];
const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;
/** What an entry costs besides its key and value: lru-cache's slots, the entry and its tags. */
const ENTRY_OVERHEAD_BYTES = 256;

/**
 * An upper bound of a string's memory: JavaScriptCore keeps a string in 1 byte per character
 * when every character fits Latin-1, else 2 (JSON with one emoji is all 2-byte).
 */
const stringBytes = (text: string): number => 2 * text.length;
const valueBytes = (value: unknown): number => stringBytes(typeof value === 'string' ? value : JSON.stringify(value));

export function createCache<V extends {}>(options: CacheOptions<V>): Cache<V> {
  const {
    name,
    ttlSeconds,
    maxEntries,
    maxBytes = DEFAULT_MAX_BYTES,
    sizeOf = valueBytes,
    collectGarbage = () => Bun.gc(true),
    metrics,
    clock = systemClock,
  } = options;
  if (!Number.isFinite(ttlSeconds) || ttlSeconds < 0) throw new RangeError(`cache "${name}": ttlSeconds must be >= 0`);
  if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError(`cache "${name}": maxEntries must be >= 1`);
  if (!Number.isInteger(maxBytes) || maxBytes < 1) throw new RangeError(`cache "${name}": maxBytes must be >= 1`);
  // Zeroed up front so the series exist (and rate() works) before the first hit.
  const [hits, misses, evictions] = [metrics?.cache.hits, metrics?.cache.misses, metrics?.cache.evictions].map((c) => {
    const child = c?.labels({ cache: name });
    child?.inc(0);
    return child;
  });
  const ttlOf = (o: CacheEntryOptions | undefined) => {
    if (o?.ttlMs !== undefined && !(o.ttlMs > 0)) throw new RangeError(`cache "${name}": ttlMs must be > 0`);
    return o?.ttlMs ?? ttlSeconds * 1000;
  };

  if (ttlSeconds === 0) {
    return {
      name,
      async get() {
        misses?.inc();
        return undefined;
      },
      async set(_key, _value, o) {
        ttlOf(o);
      },
      async getOrLoad(_key, loader, o) {
        ttlOf(o);
        misses?.inc();
        return loader();
      },
      delete: async () => {},
      invalidatePrefix: async () => {},
      invalidateTag: async () => {},
      clear: async () => {},
      size: async () => 0,
    };
  }

  // lru-cache keeps in-flight loads out of keys()/entries(); invalidation must see them so a load
  // that read the data before a write does not store it afterwards.
  const inflight = new Map<string, Load<V>>();
  // lru-cache reads a start time of 0 as "no TTL": a fake clock at 0 would make entries immortal.
  const origin = clock.now() - 1;
  let dropped = 0;
  // Built on first use: lru-cache allocates its slot arrays for maxEntries up front (~2 MB of RSS
  // and a few ms for 10,000), which a process that has not served a cached read yet need not pay.
  let lru: LRUCache<string, Entry<V>, Load<V>> | undefined;
  const entries = () => (lru ??= createLru());
  const createLru = () =>
    new LRUCache<string, Entry<V>, Load<V>>({
      max: maxEntries,
      // An entry larger than the whole bound is served to its callers but not kept.
      maxSize: maxBytes,
      sizeCalculation: (entry, key) =>
        (entry.bytes = Math.ceil(stringBytes(key) + sizeOf(entry.value)) + ENTRY_OVERHEAD_BYTES),
      ttl: ttlSeconds * 1000,
      ttlAutopurge: true, // expired entries free their memory without waiting to be read or pushed out
      // The default (1) caches "now" until a real 1 ms timer fires, so a moved fake clock went unseen.
      ttlResolution: 0,
      perf: { now: () => clock.now() - origin },
      // Deleting or evicting a key aborts its load: waiting callers still get the loaded value, it is just not stored.
      ignoreFetchAbort: true,
      dispose: (entry, _key, reason) => {
        if (reason === 'evict') evictions?.inc();
        dropped += entry.bytes ?? 0;
        if (dropped >= maxBytes / 4) {
          dropped = 0;
          collectGarbage();
        }
      },
      fetchMethod: async (key, _stale, { context }) => {
        inflight.set(key, context);
        try {
          return { value: await context.loader(), tags: context.tags };
        } finally {
          if (inflight.get(key) === context) inflight.delete(key);
        }
      },
    });

  function dropWhere(match: (key: string, tags: readonly string[]) => boolean): void {
    const doomed: string[] = [];
    for (const [key, entry] of lru?.entries() ?? []) if (match(key, entry.tags)) doomed.push(key);
    for (const [key, load] of inflight) if (match(key, load.tags)) doomed.push(key);
    for (const key of doomed) lru?.delete(key);
  }

  return {
    name,
    async get(key) {
      const entry = lru?.get(key);
      (entry ? hits : misses)?.inc();
      return entry?.value;
    },
    async set(key, value, o) {
      entries().set(key, { value, tags: o?.tags ?? NO_TAGS }, { ttl: ttlOf(o) });
    },
    async getOrLoad(key, loader, o) {
      const status: LRUCache.Status<string, Entry<V>, Load<V>> = {};
      const pending = entries().fetch(key, { context: { loader, tags: o?.tags ?? NO_TAGS }, ttl: ttlOf(o), status });
      // A miss is a load; callers that join a load in flight are served by it, so they count as hits.
      (status.fetch === 'hit' || status.fetch === 'inflight' ? hits : misses)?.inc();
      // Never undefined: fetchMethod always resolves an entry, and ignoreFetchAbort keeps aborted loads resolving.
      return (await pending)!.value;
    },
    async delete(key) {
      lru?.delete(key);
    },
    async invalidatePrefix(prefix) {
      dropWhere((key) => key.startsWith(prefix));
    },
    async invalidateTag(tag) {
      dropWhere((_key, tags) => tags.includes(tag));
    },
    async clear() {
      lru?.clear();
    },
    async size() {
      return lru?.size ?? 0;
    },
  };
}
