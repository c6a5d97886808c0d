import { Type } from '@sinclair/typebox';
import { Elysia, t } from 'elysia';
import type { Admin } from '../../modules/admin/index.ts';
import type { BroadcastRow } from '../../modules/admin/broadcast.ts';
import { Broadcast, BroadcastBody } from '../../modules/admin/model.ts';
import type { ApiKeys } from '../../modules/users/api-keys.ts';
import { authPlugin, bearerSecurity } from '../plugins/auth.ts';
import { jsonBody, jsonErrors } from './json-body.ts';
import { errors, integerParams } from './responses.ts';

const tags = ['Admin'];
const detail = (operationId: string, summary: string) => ({ tags, operationId, summary, security: bearerSecurity });
const params = t.Object({ id: Type.Integer({ minimum: 1 }) });

/** Broadcasts over HTTP: a draft (with the count it would reach), start, cancel, progress. */
export const adminBroadcastRoutes = (admin: Admin, apiKeys: ApiKeys) => {
  const view = (row: BroadcastRow) => ({
    id: row.id,
    status: row.status,
    audience: row.audience,
    recipients: row.status === 'draft' ? admin.broadcasts.recipientsOf(row.audience) : row.total,
    counts: admin.broadcasts.counts(row.id),
    created_at: new Date(row.createdAt).toISOString(),
  });
  return new Elysia({ name: 'admin-broadcast-routes', prefix: '/api/admin' })
    .use(authPlugin(apiKeys))
    .get('/broadcasts', () => ({ items: admin.broadcasts.list().map(view) }), {
      auth: 'admin',
      response: { 200: t.Object({ items: t.Array(Broadcast) }), ...errors(401, 403, 429) },
      detail: detail('listBroadcasts', 'Broadcasts, newest first, with their progress'),
    })
    .post(
      '/broadcasts',
      ({ body, principal, set }) => {
        set.status = 201;
        return view(admin.broadcasts.draft(`key:${principal.keyId}`, body));
      },
      {
        auth: 'admin',
        ...jsonBody,
        body: BroadcastBody,
        response: { 201: Broadcast, ...jsonErrors(401, 403, 422, 429) },
        detail: detail('draftBroadcast', 'Draft a broadcast (nothing is sent until it is started)'),
      },
    )
    .post(
      '/broadcasts/:id/start',
      ({ params, principal }) => view(admin.broadcasts.start(`key:${principal.keyId}`, params.id)),
      {
        auth: 'admin',
        params,
        transform: integerParams('id'),
        response: { 200: Broadcast, ...errors(401, 403, 404, 409, 422, 429, 503) },
        detail: detail('startBroadcast', 'Send a drafted broadcast through the queue (25 messages/s at most)'),
      },
    )
    .post(
      '/broadcasts/:id/cancel',
      ({ params, principal }) => view(admin.broadcasts.cancel(`key:${principal.keyId}`, params.id)),
      {
        auth: 'admin',
        params,
        transform: integerParams('id'),
        response: { 200: Broadcast, ...errors(401, 403, 404, 409, 422, 429) },
        detail: detail('cancelBroadcast', 'Cancel a draft or a broadcast being sent (the rest is not sent)'),
      },
    );
};
