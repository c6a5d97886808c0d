import { Elysia, t } from 'elysia';
import { AdminOrdersQuery, Order } from '../../modules/orders/model.ts';
import { toOrderView, type Orders } from '../../modules/orders/service.ts';
import type { Payments } from '../../modules/payments/service.ts';
import type { ApiKeys } from '../../modules/users/api-keys.ts';
import { authPlugin, bearerSecurity } from '../plugins/auth.ts';
import { integer } from '../../lib/schema.ts';
import { errors, integerQuery } from './responses.ts';

const tags = ['Admin'];
const params = t.Object({ id: t.String({ minLength: 1, maxLength: 40 }) });

const FlaggedEvent = t.Object({
  id: integer(),
  payment_id: t.String(),
  order_id: t.Union([t.String(), t.Null()]),
  status: t.String(),
  amount: t.Union([t.String(), t.Null()]),
  flag: t.String({
    examples: [
      'amount_mismatch',
      'order_mismatch',
      'malformed',
      'unknown_payment',
      'repeated_deposit',
      'double_payment',
    ],
  }),
  reason: t.Union([t.String(), t.Null()], { examples: ['received 0.00000001 of 0.00076264 btc; missing 0.00076263'] }),
  received_at: t.String({ format: 'date-time' }),
});

export const adminOrderRoutes = (orders: Orders, payments: Payments, apiKeys: ApiKeys) =>
  new Elysia({ name: 'admin-order-routes', prefix: '/api/admin' })
    .use(authPlugin(apiKeys))
    .get('/orders', ({ query }) => ({ items: orders.list(query).map(toOrderView) }), {
      auth: 'admin',
      query: AdminOrdersQuery,
      transform: integerQuery('buyer_id', 'limit'),
      response: { 200: t.Object({ items: t.Array(Order) }), ...errors(401, 403, 422, 429) },
      detail: { tags, summary: 'List orders, newest first', operationId: 'listOrders', security: bearerSecurity },
    })
    .post(
      '/orders/:id/accept-partial',
      ({ params, principal }) => toOrderView(orders.acceptPartial(params.id, `admin:${principal.keyId}`)),
      {
        auth: 'admin',
        params,
        response: { 200: Order, ...errors(401, 403, 404, 409, 422, 429) },
        detail: {
          tags,
          summary: 'Accept a partially paid order as paid (delivers it)',
          operationId: 'acceptPartialPayment',
          security: bearerSecurity,
        },
      },
    )
    .get('/payment-events', () => ({ items: payments.flaggedEvents() }), {
      auth: 'admin',
      response: { 200: t.Object({ items: t.Array(FlaggedEvent) }), ...errors(401, 403, 429) },
      detail: {
        tags,
        summary:
          'Payment notifications flagged for review: amounts or orders that do not match, malformed, unknown, repeated or double payments',
        operationId: 'listFlaggedPaymentEvents',
        security: bearerSecurity,
      },
    })
    .post(
      '/orders/:id/cancel',
      ({ params, principal }) => toOrderView(orders.cancel(params.id, `admin:${principal.keyId}`)),
      {
        auth: 'admin',
        params,
        response: { 200: Order, ...errors(401, 403, 404, 409, 422, 429) },
        detail: { tags, summary: 'Cancel an unpaid order', operationId: 'cancelOrder', security: bearerSecurity },
      },
    );
