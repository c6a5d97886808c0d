/**
 * Turns what a person typed into a safe FTS5 query. FTS5 has its own syntax (quotes, `*`,
 * `NEAR(`, `AND`/`OR`/`NOT`, column filters); rather than escape it, only letters and digits
 * are kept, each word is quoted and made a prefix, and the words are ANDed.
 *
 * A search costs in proportion to the postings of its terms (bm25 walks every term's whole
 * doclist): the first MAX_TERMS distinct words are kept, and of those a word that adds no
 * condition is dropped: a prefix of another one ("a" next to "abc": a word starting with "abc"
 * starts with "a"). "é é é é é é é é" was eight walks of the longest doclist for one condition.
 * Only exact repeats and prefixes are dropped: the tokenizer's folding is left to the tokenizer.
 * A one-letter word matches nearly every product and walks nearly every posting: past the first
 * two, one-letter words are dropped ("e a s t r i n o" cost 12 ms for eight such walks).
 */
const MAX_TERMS = 8;
const MAX_ONE_LETTER_TERMS = 2;
const MAX_TERM_LENGTH = 40;

export function toFtsQuery(input: string): string | null {
  const distinct = new Set<string>();
  for (const [word] of input.matchAll(/[\p{L}\p{N}]+/gu)) {
    distinct.add(word.slice(0, MAX_TERM_LENGTH));
    if (distinct.size === MAX_TERMS) break;
  }
  let oneLetter = 0;
  const words = [...distinct].filter((w) => [...w].length > 1 || ++oneLetter <= MAX_ONE_LETTER_TERMS);
  const terms = words.filter((w) => !words.some((other) => other !== w && other.startsWith(w))).map((w) => `"${w}"*`);
  return terms.length > 0 ? terms.join(' ') : null;
}
