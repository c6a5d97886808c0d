import { openapi } from '@elysiajs/openapi';
import { Elysia } from 'elysia';
import swaggerCss from 'swagger-ui-dist/swagger-ui.css' with { type: 'file' };
import swaggerBundle from 'swagger-ui-dist/swagger-ui-bundle.js' with { type: 'file' };

const ASSETS = '/swagger/assets';
const SPEC_PATH = '/swagger/json';

/** Embedded Swagger UI assets: the docs page renders with no internet access. */
const assets: Record<string, { path: string; type: string }> = {
  'swagger-ui.css': { path: swaggerCss, type: 'text/css; charset=utf-8' },
  'swagger-ui-bundle.js': { path: swaggerBundle, type: 'text/javascript; charset=utf-8' },
};

export interface OpenApiOptions {
  version: string;
  serverUrl?: string;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
const isObject = (value: unknown): value is Record<string, Json> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Repairs what the generator gets wrong, so the document passes OpenAPI validation:
 * - Elysia's custom validation message (`error: '...'` on a schema) is not a JSON Schema
 *   keyword; it is dropped (a property *named* error holds a schema object and is kept).
 * - A `t.Void()` response comes out as `content: { type: 'void' }`; a response without a
 *   body has no `content`.
 * - Request bodies are listed under JSON and two form encodings; the API speaks JSON (a form
 *   cannot carry the integer fields), so only `application/json` is documented.
 * - A union of an enum with null comes out as `type: [..., 'null']` beside an enum without
 *   null, which refuses null (a seller without a payout network); null joins the enum.
 */
export function normalizeDocument<T>(document: T): T {
  const walk = (value: Json, key?: string): Json => {
    if (Array.isArray(value)) return value.map((item) => walk(item));
    if (!isObject(value)) return value;
    const out: Record<string, Json> = {};
    for (const [name, child] of Object.entries(value)) {
      if (name === 'error' && typeof child === 'string') continue;
      out[name] = walk(child, name);
    }
    if (key === 'requestBody' && isObject(out.content) && out.content['application/json']) {
      out.content = { 'application/json': out.content['application/json'] };
    }
    if (isObject(out.content) && Object.values(out.content).some((media) => !isObject(media))) delete out.content;
    if (Array.isArray(out.type) && out.type.includes('null') && Array.isArray(out.enum) && !out.enum.includes(null)) {
      out.enum = [...out.enum, null];
    }
    return out;
  };
  return walk(document as Json) as T;
}

/** The OpenAPI document at /swagger/json and Swagger UI at /swagger. */
export const openapiPlugin = ({ version, serverUrl }: OpenApiOptions) => {
  // The generator hands back the same object until the routes change: normalize it once.
  const normalized = new WeakMap<object, unknown>();
  return new Elysia({ name: 'openapi' })
    .onAfterHandle(({ path, response }) => {
      if (path !== SPEC_PATH || !isObject(response)) return;
      let document = normalized.get(response);
      if (!document) normalized.set(response, (document = normalizeDocument(response)));
      return document;
    })
    .use(
      openapi({
        path: '/swagger',
        specPath: SPEC_PATH,
        provider: 'swagger-ui',
        swagger: { cdn: `${ASSETS}/swagger-ui-bundle.js`, theme: `${ASSETS}/swagger-ui.css`, autoDarkMode: false },
        exclude: { paths: ['/swagger', SPEC_PATH, `${ASSETS}/:name`] },
        documentation: {
          info: {
            title: 'TechBot Marketplace API',
            version,
            description:
              'Catalog, payments and files of a TechBot Marketplace. Errors always have the shape ' +
              '`{ "error": { "code", "message", "details" } }`.',
            license: { name: 'MIT', url: 'https://opensource.org/licenses/MIT' },
          },
          servers: [{ url: serverUrl ?? '/', description: serverUrl ? 'This server' : 'Relative to this page' }],
          tags: [
            { name: 'Catalog', description: 'Categories, courses, search and reviews' },
            { name: 'Payments', description: 'Crypto payments through NOWPayments, and its notifications' },
            { name: 'Files', description: 'Course files: uploads by sellers, signed download links for buyers' },
            { name: 'Sellers', description: "A seller's profile, sales, balance and payouts (seller API key)" },
            { name: 'Admin', description: 'Administration (admin API key)' },
            { name: 'Operations', description: 'Health, readiness and metrics' },
          ],
          components: {
            securitySchemes: {
              bearerAuth: { type: 'http', scheme: 'bearer', description: 'An admin or seller API key' },
              orderToken: {
                type: 'apiKey',
                in: 'header',
                name: 'X-Order-Token',
                description: 'The order_token of POST /api/payment or of the receipt e-mail (reads that one order)',
              },
              orderTokenQuery: {
                type: 'apiKey',
                in: 'query',
                name: 'token',
                description: 'The order_token, as a query parameter',
              },
              uploadToken: {
                type: 'apiKey',
                in: 'header',
                name: 'X-Upload-Token',
                description: 'The token of a one-time upload link (valid for one upload within an hour)',
              },
              uploadTokenQuery: {
                type: 'apiKey',
                in: 'query',
                name: 'token',
                description: 'The token of a one-time upload link, as a query parameter',
              },
            },
          },
        },
      }),
    )
    .get(
      `${ASSETS}/:name`,
      ({ params, set }) => {
        const asset = assets[params.name];
        if (!asset) {
          set.status = 404;
          return 'not found';
        }
        return new Response(Bun.file(asset.path), {
          headers: { 'content-type': asset.type, 'cache-control': 'public, max-age=86400' },
        });
      },
      { detail: { hide: true } },
    );
};
