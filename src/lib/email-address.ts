/**
 * One place that decides what an e-mail address is: trimmed, lower-cased (providers treat the
 * local part case-insensitively in practice, and one buyer must be one row), at most 254
 * characters (RFC 5321 path limit), one @, a dotted domain, and no whitespace or control
 * character anywhere, so that no CR/LF can ever reach a mail header.
 */
const MAX_LENGTH = 254;
const SHAPE = /^[^\s@"<>()[\]\\,;:]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

/** The stored form of `input`, or null when it is not an address we accept. */
export function normalizeEmail(input: string): string | null {
  // Control characters (CR, LF, NUL ...) are refused before trimming could hide them.
  if (/[\u0000-\u001f\u007f]/.test(input.replace(/^[ \t]+|[ \t]+$/g, ''))) return null;
  const value = input.trim().toLowerCase();
  if (value.length === 0 || value.length > MAX_LENGTH) return null;
  return SHAPE.test(value) ? value : null;
}
