import { randomBytes } from '../../lib/random.ts';

/** The languages the embedded pages speak; English unless the browser prefers French. */
export type PageLanguage = 'en' | 'fr';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe for element content and quoted attribute values. */
export const escapeHtml = (value: string | number): string => String(value).replace(/[&<>"']/g, (c) => ENTITIES[c]!);

/**
 * JSON made safe inside `<script type="application/json">`: no `</script>`, no `<!--`, and
 * no line separators that older parsers choke on.
 */
export const jsonForScript = (value: unknown): string =>
  JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** `{name}` placeholders filled with already-safe text. */
export const fill = (template: string, values: Record<string, string>): string =>
  template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);

/** French when the browser ranks French above English (`Accept-Language`, q-values honoured). */
export function preferredLanguage(acceptLanguage: string | null): PageLanguage {
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { primary: tag.split('-')[0], q: q === undefined ? 1 : Number(q), index };
    })
    .filter((entry) => entry.q > 0 && (entry.primary === 'en' || entry.primary === 'fr'))
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranked[0]?.primary === 'fr' ? 'fr' : 'en';
}

/** A fresh nonce per response: the only scripts and styles the page may run are its own. */
export const newNonce = (): string => randomBytes(18).toString('base64');

/**
 * An embedded page with the headers it always needs: a CSP that allows nothing but the
 * page's own nonce'd script and style and requests to this origin, no sniffing, no referrer
 * (page URLs may hold a token) and no caching.
 */
export function htmlResponse(
  status: number,
  html: string,
  { nonce, language }: { nonce: string; language: PageLanguage },
) {
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    "connect-src 'self'",
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return new Response(html, {
    status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-language': language,
      vary: 'Accept-Language',
      'content-security-policy': csp,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
      'x-frame-options': 'DENY',
    },
  });
}
