import { Elysia, t } from 'elysia';
import { CreatedPayment, CreatePaymentBody, Payment } from '../../modules/payments/model.ts';
import { IPN_PATH, type Payments } from '../../modules/payments/service.ts';
import { errors } from './responses.ts';

const tags = ['Payments'];

export const paymentRoutes = (payments: Payments) =>
  new Elysia({ name: 'payment-routes' })
    .get('/api/currencies', async () => ({ currencies: await payments.currencies() }), {
      response: { 200: t.Object({ currencies: t.Array(t.String()) }), ...errors(429, 503) },
      detail: { tags, summary: 'Crypto currencies buyers can pay with', operationId: 'listCurrencies', security: [] },
    })
    .post(
      '/api/payment',
      async ({ body, set }) => {
        set.status = 201;
        return payments.startCrypto(body);
      },
      {
        body: CreatePaymentBody,
        response: { 201: CreatedPayment, ...errors(404, 409, 422, 429, 503) },
        detail: {
          tags,
          summary: 'Buy a product with crypto: creates the order and the NOWPayments payment',
          description:
            'Answers with the address and amount to pay. An unfinished payment for the same buyer, product and ' +
            'currency is handed back instead of a new one; a buyer who owns the product gets 409. An e-mail buyer ' +
            'gets 422 when this marketplace has no SMTP server (the course could not be delivered). The answer ' +
            'carries an `order_token` for GET /api/orders/{id}.',
          operationId: 'createPayment',
          security: [],
        },
      },
    )
    .get('/api/payment/:id', ({ params }) => payments.view(params.id), {
      params: t.Object({ id: t.String({ minLength: 1, maxLength: 40, description: "The provider's payment id" }) }),
      response: { 200: Payment, ...errors(404, 429) },
      detail: {
        tags,
        summary: 'Current state of a payment (refreshed from the provider when stale)',
        operationId: 'getPayment',
        security: [],
      },
    })
    .post(
      IPN_PATH,
      // From the request itself, not `headers`: see plugins/auth.ts (minified binary).
      ({ body, request, set }) => {
        const { status, outcome } = payments.handleIpn(body, request.headers.get('x-nowpayments-sig'));
        set.status = status;
        return { ok: status === 200, outcome: outcome ?? null };
      },
      {
        // The signature covers the body as sent: read it as text, verify, then parse.
        parse: 'text',
        body: t.String(),
        response: {
          200: t.Object({ ok: t.Boolean(), outcome: t.Union([t.String(), t.Null()]) }),
          401: t.Object({ ok: t.Boolean(), outcome: t.Null() }),
          503: t.Object({ ok: t.Boolean(), outcome: t.Null() }),
        },
        detail: {
          tags,
          summary: 'NOWPayments instant payment notification (signed with x-nowpayments-sig)',
          operationId: 'receiveNowPaymentsIpn',
          security: [],
        },
      },
    );
