import { openapi } from '@elysiajs/openapi';
import { Elysia } from 'elysia';
import swaggerCss from 'swagger-ui-dist/swagger-ui.css' with { type: 'file' };
import swaggerBundle from 'swagger-ui-dist/swagger-ui-bundle.js' with { type: 'file' };

const ASSETS = '/swagger/assets';

/** Embedded Swagger UI assets: the docs page renders with no internet access. */
const assets: Record<string, { path: string; type: string }> = {
  'swagger-ui.css': { path: swaggerCss, type: 'text/css; charset=utf-8' },
  'swagger-ui-bundle.js': { path: swaggerBundle, type: 'text/javascript; charset=utf-8' },
};

export interface OpenApiOptions {
  version: string;
  serverUrl?: string;
}

/** The OpenAPI document at /swagger/json and Swagger UI at /swagger. */
export const openapiPlugin = ({ version, serverUrl }: OpenApiOptions) =>
  new Elysia({ name: 'openapi' })
    .use(
      openapi({
        path: '/swagger',
        specPath: '/swagger/json',
        provider: 'swagger-ui',
        swagger: { cdn: `${ASSETS}/swagger-ui-bundle.js`, theme: `${ASSETS}/swagger-ui.css`, autoDarkMode: false },
        exclude: { paths: ['/swagger', '/swagger/json', `${ASSETS}/:name`] },
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
            { name: 'Admin', description: 'Administration (admin API key)' },
            { name: 'Operations', description: 'Health, readiness and metrics' },
          ],
          components: {
            securitySchemes: {
              bearerAuth: { type: 'http', scheme: 'bearer', description: 'An admin or seller API key' },
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
