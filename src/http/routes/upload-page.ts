import { Elysia, t } from 'elysia';
import { AppError } from '../../lib/errors.ts';
import { ACCEPTED_EXTENSIONS } from '../../modules/files/formats.ts';
import type { Files } from '../../modules/files/service.ts';
import { htmlResponse, newNonce, preferredLanguage } from '../pages/html.ts';
import { linkProblemPage, uploadPage, type LinkProblem } from '../pages/upload.ts';

/** Why the files service refused the link, from its error (401 unknown, 410 used or expired). */
function problemOf(error: AppError): LinkProblem {
  const reason = (error.details as { reason?: unknown } | null)?.reason;
  if (error.code === 'gone') return reason === 'expired' ? 'expired' : 'used';
  return 'unknown';
}

/** Where sellers' one-time upload links point; app.ts gives the files module the full base. */
export const UPLOAD_PAGE_PATH = '/upload';

/**
 * GET /upload/{token}: the page a seller opens from a one-time upload link. It posts the file
 * to /api/upload with the token; a link that cannot be used gets a page saying why (404/410).
 * A browser page, not part of the API: hidden from the OpenAPI document.
 */
export const uploadPageRoutes = (files: Files) =>
  new Elysia({ name: 'upload-page' }).get(
    `${UPLOAD_PAGE_PATH}/:token`,
    ({ params, request, set }) => {
      const language = preferredLanguage(request.headers.get('accept-language'));
      const nonce = newNonce();
      try {
        const link = files.checkUploadLink(params.token);
        const html = uploadPage({
          language,
          nonce,
          token: params.token,
          expiresAt: link.expiresAt,
          maxBytes: files.maxFileSizeBytes,
          extensions: ACCEPTED_EXTENSIONS,
        });
        return htmlResponse(200, html, { nonce, language });
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        const problem = problemOf(error);
        set.status = problem === 'unknown' ? 404 : 410;
        return htmlResponse(set.status, linkProblemPage({ language, nonce, problem }), { nonce, language });
      }
    },
    { params: t.Object({ token: t.String() }), detail: { hide: true } },
  );
