import { Elysia, t } from 'elysia';
import { Type } from '@sinclair/typebox';
import type { Admin } from '../../modules/admin/index.ts';
import { Payout } from '../../modules/sellers/model.ts';
import type { ApiKeys } from '../../modules/users/api-keys.ts';
import { authPlugin, bearerSecurity } from '../plugins/auth.ts';
import { jsonBody, jsonErrors } from './json-body.ts';
import { errors, integerParams } from './responses.ts';

const tags = ['Admin'];
const detail = (operationId: string, summary: string) => ({ tags, operationId, summary, security: bearerSecurity });
const params = t.Object({ id: Type.Integer({ minimum: 1 }) });
const PendingPayout = t.Composite([Payout, t.Object({ seller_id: Type.Integer(), seller_name: t.String() })]);

/** The operator's payout queue over HTTP (the same services as the bot's screen). */
export const adminPayoutRoutes = (admin: Admin, apiKeys: ApiKeys) =>
  new Elysia({ name: 'admin-payout-routes', prefix: '/api/admin' })
    .use(authPlugin(apiKeys))
    .get('/payouts', () => ({ items: admin.payouts.pending(200) }), {
      auth: 'admin',
      response: { 200: t.Object({ items: t.Array(PendingPayout) }), ...errors(401, 403, 429) },
      detail: detail(
        'listPendingPayouts',
        'Pending payout requests, oldest first, with the seller, amount, network and address',
      ),
    })
    .post(
      '/payouts/:id/paid',
      ({ params, body, principal }) => admin.payouts.markPaid(`key:${principal.keyId}`, params.id, body.tx_hash),
      {
        auth: 'admin',
        params,
        transform: integerParams('id'),
        ...jsonBody,
        body: t.Object({
          tx_hash: t.String({ minLength: 10, maxLength: 120, description: "Checked against the payout's network" }),
        }),
        response: { 200: Payout, ...jsonErrors(401, 403, 404, 409, 422, 429) },
        detail: detail('markPayoutPaid', 'Mark a pending payout paid (the seller is told)'),
      },
    )
    .post(
      '/payouts/:id/reject',
      ({ params, body, principal }) => admin.payouts.reject(`key:${principal.keyId}`, params.id, body.reason),
      {
        auth: 'admin',
        params,
        transform: integerParams('id'),
        ...jsonBody,
        body: t.Object({ reason: t.String({ minLength: 3, maxLength: 500 }) }),
        response: { 200: Payout, ...jsonErrors(401, 403, 404, 409, 422, 429) },
        detail: detail(
          'rejectPayout',
          'Reject a pending payout with a reason (the amount is available again; the seller is told)',
        ),
      },
    );
