import type Redis from 'ioredis';

/**
 * The Redis side of the shared cache, one namespace per cache:
 *   <ns>v:<key>   the JSON value, with its own PX expiry
 *   <ns>t:<tag>   the set of value keys carrying that tag (expires with its longest-lived member)
 *   <ns>gen       a counter every invalidation increments: a load stores its value only if the
 *                 counter has not moved since it read the value was missing, so a value read from
 *                 the database before a write on another process is never stored after it.
 */

// Conditional store. KEYS: value, gen, tag sets...; ARGV: json, ttl ms, gen seen ('' = store anyway).
const STORE = `
if ARGV[3] ~= '' and (redis.call('GET', KEYS[2]) or '0') ~= ARGV[3] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
for i = 3, #KEYS do
  redis.call('SADD', KEYS[i], KEYS[1])
  if redis.call('PTTL', KEYS[i]) < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[i], ARGV[2]) end
end
return 1`;

// KEYS: tag set, gen. The members are value keys of the same namespace, named inside the set (a
// single Redis, not a cluster, so touching keys not listed in KEYS is fine).
const DROP_TAG = `
redis.call('INCR', KEYS[2])
local members = redis.call('SMEMBERS', KEYS[1])
for i = 1, #members do redis.call('UNLINK', members[i]) end
redis.call('UNLINK', KEYS[1])
return #members`;

type Scripted = Redis & {
  techbotCacheStore(numKeys: number, ...args: string[]): Promise<number>;
  techbotCacheDropTag(tagKey: string, genKey: string): Promise<number>;
};

/** Glob characters of SCAN MATCH, escaped so that a prefix matches only itself. */
const escapeGlob = (text: string) => text.replace(/[*?[\]\\]/g, '\\$&');

export function createCacheStore(redis: Redis, namespace: string) {
  const client = redis as Scripted;
  // Sent by SHA after the first call (ioredis falls back to EVAL when Redis has forgotten it).
  client.defineCommand('techbotCacheStore', { lua: STORE });
  client.defineCommand('techbotCacheDropTag', { lua: DROP_TAG, numberOfKeys: 2 });
  const valueKey = (key: string) => `${namespace}v:${key}`;
  const tagKey = (tag: string) => `${namespace}t:${tag}`;
  const genKey = `${namespace}gen`;

  async function* scan(prefix: string): AsyncGenerator<string[]> {
    const stream = client.scanStream({ match: `${escapeGlob(valueKey(prefix))}*`, count: 500 });
    for await (const keys of stream) if ((keys as string[]).length > 0) yield keys as string[];
  }

  return {
    /** The stored JSON (or null) and the invalidation counter, read together. */
    async read(key: string): Promise<{ json: string | null; gen: string }> {
      const [json, gen] = await client.mget(valueKey(key), genKey);
      return { json: json ?? null, gen: gen ?? '0' };
    },
    /** Stores unless `genSeen` is given and an invalidation happened since; says whether it stored. */
    async store(key: string, json: string, ttlMs: number, tags: readonly string[], genSeen = ''): Promise<boolean> {
      const keys = [valueKey(key), genKey, ...tags.map(tagKey)];
      return (await client.techbotCacheStore(keys.length, ...keys, json, String(ttlMs), genSeen)) === 1;
    },
    async delete(key: string): Promise<void> {
      await client.multi().incr(genKey).unlink(valueKey(key)).exec();
    },
    async dropTag(tag: string): Promise<void> {
      await client.techbotCacheDropTag(tagKey(tag), genKey);
    },
    /** Every value whose key starts with `prefix` ('' = all); the counter moves first, so loads under way do not store. */
    async dropPrefix(prefix: string): Promise<void> {
      await client.incr(genKey);
      for await (const keys of scan(prefix)) await client.unlink(...keys);
    },
    async count(): Promise<number> {
      let n = 0;
      for await (const keys of scan('')) n += keys.length;
      return n;
    },
  };
}

export type CacheStore = ReturnType<typeof createCacheStore>;
