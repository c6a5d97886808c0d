import { Elysia, t } from 'elysia';
import type { ApiKeys } from '../../modules/users/api-keys.ts';
import { ApiKeyCreated, CreateApiKeyBody } from '../../modules/users/model.ts';
import { authPlugin, bearerSecurity } from '../plugins/auth.ts';
import { jsonBody, jsonErrors } from './json-body.ts';
import { errors } from './responses.ts';

const tags = ['Admin'];

export const adminRoutes = (apiKeys: ApiKeys) =>
  new Elysia({ name: 'admin-routes', prefix: '/api/admin' })
    .use(authPlugin(apiKeys))
    .post(
      '/api-keys',
      ({ body, set }) => {
        set.status = 201;
        return apiKeys.create(body);
      },
      {
        auth: 'admin',
        ...jsonBody,
        body: CreateApiKeyBody,
        response: { 201: ApiKeyCreated, ...jsonErrors(401, 403, 404, 422, 429) },
        detail: {
          tags,
          operationId: 'createApiKey',
          summary: 'Create an API key (the key is shown once)',
          description: 'A seller key acts for `seller_id`, or for a new seller named `seller_name`.',
          security: bearerSecurity,
        },
      },
    )
    .delete(
      '/api-keys/:id',
      ({ params, set }) => {
        apiKeys.revoke(params.id);
        set.status = 204;
      },
      {
        auth: 'admin',
        params: t.Object({ id: t.String({ minLength: 1, maxLength: 40 }) }),
        response: { 204: t.Void({ description: 'Revoked' }), ...errors(401, 403, 404, 422, 429) },
        detail: { tags, operationId: 'revokeApiKey', summary: 'Revoke an API key', security: bearerSecurity },
      },
    );
