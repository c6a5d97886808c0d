/**
 * Turns what a person typed into a safe FTS5 query. FTS5 has its own syntax (quotes, `*`,
 * `NEAR(`, `AND`/`OR`/`NOT`, column filters); rather than escape it, only letters and digits
 * are kept, each word is quoted and made a prefix, and the words are ANDed.
 */
const MAX_TERMS = 8;
const MAX_TERM_LENGTH = 40;

export function toFtsQuery(input: string): string | null {
  const words = input.match(/[\p{L}\p{N}]+/gu) ?? [];
  const terms = words.slice(0, MAX_TERMS).map((w) => `"${w.slice(0, MAX_TERM_LENGTH)}"*`);
  return terms.length > 0 ? terms.join(' ') : null;
}
