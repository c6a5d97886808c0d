import { Elysia, t } from 'elysia';
import { AdminOrdersQuery, Order } from '../../modules/orders/model.ts';
import { toOrderView, type Orders } from '../../modules/orders/service.ts';
import type { ApiKeys } from '../../modules/users/api-keys.ts';
import { authPlugin, bearerSecurity } from '../plugins/auth.ts';
import { errors, integerQuery } from './responses.ts';

const tags = ['Admin'];
const params = t.Object({ id: t.String({ minLength: 1, maxLength: 40 }) });

export const adminOrderRoutes = (orders: Orders, apiKeys: ApiKeys) =>
  new Elysia({ name: 'admin-order-routes', prefix: '/api/admin' })
    .use(authPlugin(apiKeys))
    .get('/orders', ({ query }) => ({ items: orders.list(query).map(toOrderView) }), {
      auth: 'admin',
      query: AdminOrdersQuery,
      transform: integerQuery('buyer_id', 'limit'),
      response: { 200: t.Object({ items: t.Array(Order) }), ...errors(401, 403, 422, 429) },
      detail: { tags, summary: 'List orders, newest first', operationId: 'listOrders', security: bearerSecurity },
    })
    .post('/orders/:id/accept-partial', ({ params, principal }) => toOrderView(orders.acceptPartial(params.id, `admin:${principal.keyId}`)), {
      auth: 'admin',
      params,
      response: { 200: Order, ...errors(401, 403, 404, 409, 429) },
      detail: {
        tags,
        summary: 'Accept a partially paid order as paid (delivers it)',
        operationId: 'acceptPartialPayment',
        security: bearerSecurity,
      },
    })
    .post('/orders/:id/cancel', ({ params, principal }) => toOrderView(orders.cancel(params.id, `admin:${principal.keyId}`)), {
      auth: 'admin',
      params,
      response: { 200: Order, ...errors(401, 403, 404, 409, 429) },
      detail: { tags, summary: 'Cancel an unpaid order', operationId: 'cancelOrder', security: bearerSecurity },
    });
