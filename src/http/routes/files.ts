import { Elysia } from 'elysia';
import { AppError } from '../../lib/errors.ts';
import { UploadedFile, UploadQuery } from '../../modules/files/model.ts';
import type { Files, Uploader } from '../../modules/files/service.ts';
import type { ApiKeys } from '../../modules/users/api-keys.ts';
import { bearerKey } from '../plugins/auth.ts';
import type { Pacer } from '../plugins/body-limit.ts';
import { errors } from './responses.ts';

export const UPLOAD_ROUTE = '/api/upload';
export const UPLOAD_TOKEN_HEADER = 'x-upload-token';

/** An API key (seller or admin) when one is sent, else a one-time upload link's token. */
function uploaderOf(request: Request, apiKeys: ApiKeys): Uploader {
  const key = bearerKey(request.headers.get('authorization') ?? undefined);
  if (key) {
    const principal = apiKeys.authenticate(key);
    if (!principal) throw new AppError('unauthorized', 'unknown or revoked API key');
    return { principal };
  }
  const token = request.headers.get(UPLOAD_TOKEN_HEADER) ?? new URL(request.url).searchParams.get('token');
  if (token) return { uploadToken: token };
  throw new AppError(
    'unauthorized',
    'uploading needs a seller or admin API key (Authorization: Bearer <key>) or an upload link token (X-Upload-Token)',
  );
}

const emptyBody = () => new ReadableStream<Uint8Array>({ start: (controller) => controller.close() });

/** The raw body is the file: read as a stream, never parsed or buffered whole. */
const binaryBody = {
  required: true,
  description: 'The file itself, as raw bytes (`curl --data-binary @course.pdf`)',
  content: { 'application/octet-stream': { schema: { type: 'string' as const, format: 'binary' } } },
};

export const fileRoutes = (files: Files, apiKeys: ApiKeys, pace: Pacer) => {
  const uploaders = new WeakMap<Request, Uploader>();
  return new Elysia({ name: 'file-routes' }).post(
    UPLOAD_ROUTE,
    async ({ request, query, set, server }) => {
      const uploader = uploaders.get(request) ?? uploaderOf(request, apiKeys);
      const length = request.headers.get('content-length');
      // The pace rule (BODY_TIMEOUT) replaces Bun's idle timer, which would also cut the client
      // off while it waits, silent, for its spooled file to be gzipped (seconds per 100 MB).
      server?.timeout(request, 0);
      const uploaded = await files.upload({
        uploader,
        filename: query.filename,
        body: pace(request.body ?? emptyBody()),
        declaredLength: length !== null && /^\d+$/.test(length) ? Number(length) : undefined,
      });
      // The whole body was read: the connection may serve another request.
      delete set.headers.connection;
      set.status = 201;
      return uploaded;
    },
    {
      // Credentials first (before the query is validated), like the auth macro.
      transform({ request, set }) {
        // Refused before its end (credentials, name, size, type, pace), the body is not read further.
        set.headers.connection = 'close';
        uploaders.set(request, uploaderOf(request, apiKeys));
      },
      parse: 'none',
      query: UploadQuery,
      response: { 201: UploadedFile, ...errors(400, 401, 408, 410, 413, 415, 422, 429) },
      detail: {
        tags: ['Files'],
        operationId: 'uploadFile',
        summary: 'Upload a course file (raw body, streamed)',
        description:
          'Send the file as the raw request body. The extension must be an accepted course format and ' +
          'match the content (magic bytes); programs and scripts are always refused (415). Past ' +
          '`MAX_FILE_SIZE_MB` the upload is cut off (413), as is a body sent slower than `BODY_TIMEOUT` allows ' +
          '(408). Compressible files are stored gzipped; ' +
          'the same content uploaded twice is stored once. Authorised by a seller or admin API key, ' +
          'or by the token of a one-time upload link (header `X-Upload-Token` or query `token`), ' +
          'which an upload uses up only when it succeeds.',
        security: [{ bearerAuth: [] }, { uploadToken: [] }, { uploadTokenQuery: [] }],
        requestBody: binaryBody,
      },
    },
  );
};
