/**
 * E-mails in the recipient's language, from the same Fluent texts as the bot
 * (src/locales/*.ftl, keys `email-<purpose>-subject` and `email-<purpose>-body`). The plain-text
 * part is the Fluent text itself; the HTML part is that text escaped, one paragraph per blank
 * line, with its URLs made links. No images, no remote content, no tracking pixels.
 */
import { translate, type Locale, type TextArgs } from '../../locales/index.ts';

export type EmailPurpose =
  | 'receipt'
  | 'sale'
  | 'support-reply'
  | 'partial-refused'
  | 'alert'
  | 'verify-code'
  | 'change-code';

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** URLs in already-escaped text become links (their `&amp;` stays escaped inside href, as HTML wants). */
const linkify = (escaped: string) => escaped.replace(/https?:\/\/[^\s<]+/g, (url) => `<a href="${url}">${url}</a>`);

/** A subject is one line: whatever a variable carries, no CR/LF reaches the header. */
const oneLine = (s: string) => s.replace(/[\r\n]+/g, ' ').trim();

export function renderEmail(lang: Locale, purpose: EmailPurpose, args: TextArgs): RenderedEmail {
  const subject = oneLine(translate(lang, `email-${purpose}-subject`, args));
  const body = translate(lang, `email-${purpose}-body`, args);
  const footer = translate(lang, 'email-footer');
  const paragraphs = body
    .split(/\n\s*\n/)
    .map((p) => `<p>${linkify(escapeHtml(p.trim())).replace(/\n/g, '<br>\n')}</p>`)
    .join('\n');
  const html =
    `<!doctype html>\n<html lang="${lang}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>\n` +
    `<body style="font-family: sans-serif; line-height: 1.5">\n${paragraphs}\n` +
    `<p style="color: #777; font-size: small">${escapeHtml(footer)}</p>\n</body></html>\n`;
  return { subject, text: `${body}\n\n-- \n${footer}\n`, html };
}
