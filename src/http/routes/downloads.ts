import { Elysia, t } from 'elysia';
import type { Downloads } from '../../modules/files/downloads.ts';
import { ErrorResponse } from './responses.ts';

/** Where signed download links point; app.ts gives the files module the full base. */
export const DOWNLOADS_PATH = '/api/downloads';

/** RFC 5987 attr-char: what `encodeURIComponent` leaves alone, minus `'()*`. */
const encodeRfc5987 = (value: string) =>
  encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * `attachment` with an ASCII fallback name (accents dropped, anything else unsafe in a quoted
 * string replaced by `_`) and the original name, UTF-8 percent-encoded (RFC 6266 / 5987).
 */
export function contentDisposition(name: string): string {
  const fallback = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\x20-\x7e]|["\\%]/g, '_');
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeRfc5987(name)}`;
}

type HeaderDoc = { description: string; schema: { type: 'string' | 'integer' } };

const error = (description: string, headers?: Record<string, HeaderDoc>) => ({
  description,
  ...(headers ? { headers } : {}),
  content: { 'application/json': { schema: ErrorResponse } },
});

/** Documented by hand: the generator only knows JSON and text bodies. */
const responses = {
  200: {
    description: 'The file as uploaded (decompressed on the fly when stored compressed), with its own media type',
    headers: {
      'Content-Disposition': {
        description: 'attachment; the original name, RFC 5987 encoded',
        schema: { type: 'string' as const },
      },
      'Content-Length': { description: 'Size of the original file in bytes', schema: { type: 'integer' as const } },
    },
    // Served with the media type found at upload (application/pdf, video/mp4, text/plain ...).
    content: { '*/*': { schema: { type: 'string' as const, format: 'binary' } } },
  },
  403: error('The link is invalid or tampered with, or the buyer no longer owns the course'),
  404: error('The course has no file, or the file is missing on the server'),
  410: error('The link has expired; the bot hands out a new one'),
  429: error('The daily download limit of this purchase is reached', {
    'Retry-After': { description: 'Seconds until a download is allowed again', schema: { type: 'integer' as const } },
  }),
};

/** Public: the signed token in the path is the credential. */
export const downloadRoutes = (downloads: Downloads) =>
  new Elysia({ name: 'download-routes' }).get(
    `${DOWNLOADS_PATH}/:token`,
    async ({ params }) => {
      const file = await downloads.open(params.token);
      return new Response(file.body, {
        headers: {
          'content-type': file.mime,
          'content-length': String(file.size),
          'content-disposition': contentDisposition(file.name),
          'cache-control': 'private, no-store',
          'x-content-type-options': 'nosniff',
        },
      });
    },
    {
      params: t.Object({ token: t.String({ description: 'The signed token of a download link' }) }),
      detail: {
        tags: ['Files'],
        summary: 'Download a purchased course file through a signed, expiring link',
        description:
          'Links come from the bot. Each names one buyer, one course and its file, expires (24 h by default) ' +
          'and counts against the daily download limit of the purchase (rolling 24 hours).',
        operationId: 'downloadFile',
        security: [],
        responses,
      },
    },
  );
