/** Crockford-like alphabet without I, O, 0 and 1, which people misread and mistype. */
export const READABLE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** Random characters from an alphabet, without modulo bias (32 divides 256). */
export function randomToken(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let out = '';
  for (const byte of bytes) out += READABLE_ALPHABET[byte % READABLE_ALPHABET.length];
  return out;
}

/** Product ids people type: `TBF-YYMM-XXXXXX`. */
export function productId(now: number): string {
  const date = new Date(now);
  const yymm = `${String(date.getUTCFullYear() % 100).padStart(2, '0')}${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
  return `TBF-${yymm}-${randomToken(6)}`;
}

export const PRODUCT_ID_PATTERN = /^TBF-\d{4}-[A-HJ-NP-Z2-9]{6}$/;

/** A product id as people type it (any case, stray spaces) -> as stored. The one place ids are normalized. */
export const normalizeProductId = (id: string) => id.trim().toUpperCase();
