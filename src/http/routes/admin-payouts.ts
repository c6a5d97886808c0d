import { Elysia, t } from 'elysia';
import { Type } from '@sinclair/typebox';
import type { Admin } from '../../modules/admin/index.ts';
import { Payout } from '../../modules/sellers/model.ts';
import type { ApiKeys } from '../../modules/users/api-keys.ts';
import { authPlugin } from '../plugins/auth.ts';
import { adminDetail } from './admin-detail.ts';
import { jsonBody, jsonErrors } from './json-body.ts';
import { errors, integerParams } from './responses.ts';

const detail = adminDetail;
const params = t.Object({ id: Type.Integer({ minimum: 1 }) });
const DAY = '^\\d{4}-\\d{2}-\\d{2}$';
const PendingPayout = t.Composite([Payout, t.Object({ seller_id: Type.Integer(), seller_name: t.String() })]);

/** The operator's payout queue over HTTP (the same services as the bot's screen). */
export const adminPayoutRoutes = (admin: Admin, apiKeys: ApiKeys) =>
  new Elysia({ name: 'admin-payout-routes', prefix: '/api/admin' })
    .use(authPlugin(apiKeys))
    .get(
      '/payouts',
      ({ query, request, principal }) => {
        // A period (from/to) lists every payout requested in it; Accept: text/csv gives it as CSV.
        const csv = request.headers.get('accept')?.includes('text/csv');
        if (!csv && query.from === undefined && query.to === undefined) return { items: admin.payouts.pending(200) };
        const period = admin.payoutExport.period(query.from, query.to);
        if (!csv) return { items: admin.payoutExport.rows(period) };
        return new Response(admin.payoutExport.csv(`key:${principal.keyId}`, period).csv, {
          headers: {
            'content-type': 'text/csv; charset=utf-8',
            'content-disposition': `attachment; filename="payouts-${period.from}-${period.to}.csv"`,
          },
        });
      },
      {
        auth: 'admin',
        query: t.Object({
          from: t.Optional(t.String({ pattern: DAY, description: 'First day (UTC, YYYY-MM-DD), included' })),
          to: t.Optional(t.String({ pattern: DAY, description: 'Last day (UTC, YYYY-MM-DD), included' })),
        }),
        response: { 200: t.Object({ items: t.Array(PendingPayout) }), ...errors(401, 403, 422, 429) },
        detail: detail(
          'listPendingPayouts',
          'Pending payout requests, oldest first; or every payout of a period, also as CSV',
          'Without `from`/`to`: the pending queue with the seller, amount, network and address. With a period: every payout requested in it, whatever its state, oldest first. With `Accept: text/csv`: that period (the last 30 days by default) as CSV, columns ' +
            '`payout_id,seller_id,seller_name,amount,currency,network,address,status,tx_hash,reason,requested_at,decided_at`.',
        ),
      },
    )
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
