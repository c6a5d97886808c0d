import { Elysia, t } from 'elysia';
import type { Admin } from '../../modules/admin/index.ts';
import {
  FlagStateQuery,
  HandledBody,
  HandledEvent,
  StarsGivenBack,
  OrderSearchQuery,
  PartialOrder,
  UndeliveredOrder,
} from '../../modules/admin/ops-model.ts';
import { Order } from '../../modules/orders/model.ts';
import { toOrderView, type Orders } from '../../modules/orders/service.ts';
import type { ApiKeys } from '../../modules/users/api-keys.ts';
import { authPlugin } from '../plugins/auth.ts';
import { adminDetail } from './admin-detail.ts';
import { integer } from '../../lib/schema.ts';
import { jsonBody, jsonErrors } from './json-body.ts';
import { errors, integerParams, integerQuery } from './responses.ts';

const params = t.Object({ id: t.String({ minLength: 1, maxLength: 40 }) });
const detail = adminDetail;
const actor = (principal: { keyId: string }) => `key:${principal.keyId}`;
const withOrder = <T extends { order: Parameters<typeof toOrderView>[0] }>(item: T) => ({
  ...item,
  order: toOrderView(item.order),
});

const FlaggedEvent = t.Object({
  id: integer(),
  provider: t.String({ examples: ['nowpayments', 'stars'] }),
  payment_id: t.String({ description: "The provider's payment id (NOWPayments) or Telegram charge id (Stars)" }),
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
  handled_at: t.Union([t.String({ format: 'date-time' }), t.Null()]),
  handled_by: t.Union([t.String(), t.Null()]),
  handled_note: t.Union([t.String(), t.Null()]),
  refundable_stars: t.Union([integer({ minimum: 1 }), t.Null()], {
    description:
      'The Stars POST /api/admin/payment-events/{id}/refund-stars gives back: an open Stars charge that paid nothing (double_payment, unknown_payment); null otherwise',
  }),
});

/** The operator's orders (the admin module's order desk; the same services as the bot's screens). */
export const adminOrderRoutes = (orders: Orders, admin: Admin, apiKeys: ApiKeys) =>
  new Elysia({ name: 'admin-order-routes', prefix: '/api/admin' })
    .use(authPlugin(apiKeys))
    .get('/orders', ({ query }) => ({ items: admin.orders.search(query).map(toOrderView) }), {
      auth: 'admin',
      query: OrderSearchQuery,
      transform: integerQuery('buyer_id', 'limit'),
      response: { 200: t.Object({ items: t.Array(Order) }), ...errors(401, 403, 422, 429) },
      detail: detail(
        'listOrders',
        'Find orders, newest first: by id, status, product or buyer',
        'The buyer by `buyer_id` (user id) or `user`: a Telegram id, an @username or an e-mail address. An unknown user finds nothing.',
      ),
    })
    .get('/orders/undelivered', ({ query }) => ({ items: admin.orders.undelivered(query.limit).map(withOrder) }), {
      auth: 'admin',
      query: t.Object({ limit: t.Optional(integer({ minimum: 1, maximum: 100 })) }),
      transform: integerQuery('limit'),
      response: { 200: t.Object({ items: t.Array(UndeliveredOrder) }), ...errors(401, 403, 422, 429) },
      detail: detail('listUndeliveredOrders', 'Paid orders that did not reach their buyer, newest first, with why'),
    })
    .get('/orders/partially-paid', ({ query }) => ({ items: admin.orders.partials(query.limit).map(withOrder) }), {
      auth: 'admin',
      query: t.Object({ limit: t.Optional(integer({ minimum: 1, maximum: 100 })) }),
      transform: integerQuery('limit'),
      response: { 200: t.Object({ items: t.Array(PartialOrder) }), ...errors(401, 403, 422, 429) },
      detail: detail('listPartialOrders', 'Partially paid orders waiting for a decision, with what arrived'),
    })
    .post(
      '/orders/:id/accept-partial',
      ({ params, principal }) => toOrderView(admin.orders.acceptPartial(actor(principal), params.id)),
      {
        auth: 'admin',
        params,
        response: { 200: Order, ...errors(401, 403, 404, 409, 422, 429) },
        detail: detail('acceptPartialPayment', 'Accept a partially paid order as paid (delivers it)'),
      },
    )
    .post(
      '/orders/:id/refuse-partial',
      async ({ params, body, principal }) =>
        toOrderView(await admin.orders.refusePartial(actor(principal), params.id, body.reason)),
      {
        auth: 'admin',
        params,
        ...jsonBody,
        body: t.Object({ reason: t.String({ minLength: 3, maxLength: 500 }) }),
        response: { 200: Order, ...jsonErrors(401, 403, 404, 409, 422, 429) },
        detail: detail(
          'refusePartialPayment',
          'Refuse a partially paid order with a reason: cancelled, the buyer told',
          'What the buyer sent is returned outside the shop. Money arriving later still pays the order.',
        ),
      },
    )
    .post(
      '/orders/:id/redeliver',
      ({ params, principal }) => {
        const { order, job_id } = admin.orders.redeliver(actor(principal), params.id);
        return { order: toOrderView(order), job_id };
      },
      {
        auth: 'admin',
        params,
        response: {
          200: t.Object({ order: Order, job_id: integer({ description: 'The delivery job run again or enqueued' }) }),
          ...errors(401, 403, 404, 409, 422, 429),
        },
        detail: detail(
          'redeliverOrder',
          'Run the delivery of a paid order again',
          'Its dead delivery job goes back to the queue, or a new one is enqueued. 409 when the order is not paid or a delivery is already queued.',
        ),
      },
    )
    .get('/payment-events', ({ query }) => ({ items: admin.paymentFlags.list(query.state, query.limit) }), {
      auth: 'admin',
      query: FlagStateQuery,
      transform: integerQuery('limit'),
      response: { 200: t.Object({ items: t.Array(FlaggedEvent) }), ...errors(401, 403, 422, 429) },
      detail: detail(
        'listFlaggedPaymentEvents',
        'Payment notifications flagged for review: amounts or orders that do not match, malformed, unknown, repeated or double payments',
        'Those still open by default (`state=handled` or `all` for the others).',
      ),
    })
    .post(
      '/payment-events/:id/handled',
      ({ params, body, principal }) => admin.paymentFlags.markHandled(actor(principal), params.id, body.note),
      {
        auth: 'admin',
        params: t.Object({ id: integer({ minimum: 1 }) }),
        transform: integerParams('id'),
        ...jsonBody,
        body: HandledBody,
        response: { 200: HandledEvent, ...jsonErrors(401, 403, 404, 409, 422, 429) },
        detail: detail(
          'markPaymentEventHandled',
          'Mark a flagged payment event handled, with an optional note',
          'It leaves the open list and the flagged-payments figure of the stats; 409 when already handled.',
        ),
      },
    )
    .post(
      '/payment-events/:id/refund-stars',
      ({ params, principal }) => admin.paymentFlags.refundStars(actor(principal), params.id),
      {
        auth: 'admin',
        params: t.Object({ id: integer({ minimum: 1 }) }),
        transform: integerParams('id'),
        response: { 200: StarsGivenBack, ...errors(401, 403, 404, 409, 422, 429, 503) },
        detail: detail(
          'refundFlaggedStarsCharge',
          'Give back the Stars of a flagged charge that paid nothing',
          'For a Stars `double_payment` (a second charge for an order already paid: the order keeps the first and the buyer the course) or `unknown_payment`: refundStarPayment with its charge id, then the event is marked handled (audit action `stars_given_back`) and the payer told. 404 for an id that is no flagged Stars event; 409 when it is handled already or does not name its payer; 503 when Telegram refuses or the bot is off.',
        ),
      },
    )
    .post(
      '/orders/:id/cancel',
      ({ params, principal }) => toOrderView(orders.cancel(params.id, `admin:${principal.keyId}`)),
      {
        auth: 'admin',
        params,
        response: { 200: Order, ...errors(401, 403, 404, 409, 422, 429) },
        detail: detail('cancelOrder', 'Cancel an unpaid order'),
      },
    );
