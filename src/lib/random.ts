/**
 * Random bytes and numbers from the Web Crypto API. node:crypto would do the same, but loading it
 * costs the compiled binary 5-10 ms at every start (its stream classes come with it); hashes and
 * HMACs use Bun.CryptoHasher and comparisons the global `crypto.timingSafeEqual` for that reason.
 */
export const randomBytes = (size: number): Buffer => Buffer.from(crypto.getRandomValues(new Uint8Array(size)));

/** A uniform integer in [min, max) (a range under 2^32): draws past the last whole range are drawn again. */
export function randomInt(min: number, max: number): number {
  const range = max - min;
  const limit = Math.floor(2 ** 32 / range) * range;
  const word = new Uint32Array(1);
  do crypto.getRandomValues(word);
  while (word[0]! >= limit);
  return min + (word[0]! % range);
}
