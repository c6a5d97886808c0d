import { Type } from '@sinclair/typebox';
import { Elysia, t } from 'elysia';
import { oneOf } from '../../lib/schema.ts';
import { COVER_MAX_BYTES, COVER_TYPES } from '../../modules/catalog/covers.ts';
import { ProductIdParam } from '../../modules/catalog/model.ts';
import type { Catalog } from '../../modules/catalog/service.ts';
import type { ApiKeys } from '../../modules/users/api-keys.ts';
import { authPlugin, bearerSecurity } from '../plugins/auth.ts';
import { ErrorResponse, errors } from './responses.ts';

/** The route whose raw body is an image: the body-limit plugin lets it through up to COVER_MAX_BYTES. */
export const isCoverUpload = (path: string) => /^\/api\/seller\/courses\/[^/]+\/cover$/.test(path);
export { COVER_MAX_BYTES };

/** A cover may change at any time: clients revalidate after five minutes (the ETag is its SHA-256). */
const CACHE_CONTROL = 'public, max-age=300';

const image = { schema: { type: 'string' as const, format: 'binary' } };
const imageContent = Object.fromEntries(COVER_TYPES.map((type) => [type, image]));

const StoredCover = t.Object({
  url: t.String({ description: 'Where the cover is served (GET, public)' }),
  content_type: oneOf(COVER_TYPES, { description: 'The type found in the bytes' }),
  size_bytes: Type.Integer(),
  sha256: t.String({ description: 'SHA-256 of the bytes, hex; also the ETag of GET' }),
});

const jsonError = (description: string) => ({
  description,
  content: { 'application/json': { schema: ErrorResponse } },
});

/** Documented by hand: the generator only knows JSON and text bodies. */
const imageResponses = {
  200: {
    description: 'The cover image, as its seller sent it',
    headers: {
      ETag: { description: 'The SHA-256 of the image, quoted', schema: { type: 'string' as const } },
      'Cache-Control': { description: CACHE_CONTROL, schema: { type: 'string' as const } },
    },
    content: imageContent,
  },
  304: { description: 'Not modified: If-None-Match named the current cover' },
  404: jsonError('No such product on sale, or it has no cover'),
  422: jsonError('The product id is malformed'),
  429: jsonError('Too many requests'),
};

const coverPath = (id: string) => `/api/products/${id}/cover`;

/**
 * Cover photos over HTTP: the seller (or an admin) sets one as the raw body (JPEG or PNG,
 * checked by its magic bytes, 5 MB at most) or removes it; anyone reads the cover of a product
 * on sale. The bot sends the same cover as the product card.
 */
export const coverRoutes = (catalog: Pick<Catalog, 'setCover' | 'coverImage'>, apiKeys: ApiKeys) =>
  new Elysia({ name: 'cover-routes', prefix: '/api' })
    .use(authPlugin(apiKeys))
    .put(
      '/seller/courses/:id/cover',
      async ({ principal, params, request }) => {
        const bytes = new Uint8Array(await request.arrayBuffer());
        const stored = catalog.setCover(principal, params.id, {
          bytes,
          contentType: request.headers.get('content-type') ?? '',
        })!;
        return { url: coverPath(params.id), content_type: stored.type, size_bytes: stored.size, sha256: stored.sha256 };
      },
      {
        auth: 'seller',
        parse: 'none',
        params: ProductIdParam,
        response: { 200: StoredCover, ...errors(400, 401, 403, 404, 413, 415, 422, 429) },
        detail: {
          tags: ['Sellers'],
          operationId: 'setCourseCover',
          summary: "Set a course's cover photo (its seller or an admin): the raw image as the body",
          description:
            'The body is the image itself (`curl -T cover.jpg -H "Content-Type: image/jpeg"`): a JPEG or PNG, ' +
            'checked by its magic bytes, not only the header (415 otherwise), at most 5 MB (413). It replaces ' +
            "any cover, including one sent in the bot, and becomes the product card's photo in the bot.",
          security: bearerSecurity,
          requestBody: { required: true, description: 'The image, as raw bytes', content: imageContent },
        },
      },
    )
    .delete(
      '/seller/courses/:id/cover',
      ({ principal, params, set }) => {
        catalog.setCover(principal, params.id, null);
        set.status = 204;
      },
      {
        auth: 'seller',
        params: ProductIdParam,
        response: {
          204: t.Void({ description: 'The course has no cover (any more)' }),
          ...errors(401, 403, 404, 422, 429),
        },
        detail: {
          tags: ['Sellers'],
          operationId: 'deleteCourseCover',
          summary: "Remove a course's cover photo (its seller or an admin)",
          security: bearerSecurity,
        },
      },
    )
    .get(
      '/products/:id/cover',
      async ({ params, request }) => {
        const cover = await catalog.coverImage(params.id);
        const etag = `"${cover.sha256}"`;
        const headers = { etag, 'cache-control': CACHE_CONTROL };
        if (request.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers });
        return new Response(cover.file, {
          headers: { ...headers, 'content-type': cover.type, 'x-content-type-options': 'nosniff' },
        });
      },
      {
        params: ProductIdParam,
        detail: {
          tags: ['Catalog'],
          operationId: 'getProductCover',
          summary: "A product's cover photo (public)",
          security: [],
          responses: imageResponses,
        },
      },
    );
