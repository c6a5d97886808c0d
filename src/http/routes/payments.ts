import { Elysia, t } from 'elysia';
import type { Metrics } from '../../lib/metrics.ts';
import type { Limiter } from '../../lib/rate-limit.ts';
import { CreatedPayment, CreatePaymentBody, Payment } from '../../modules/payments/model.ts';
import type { IpnResult, Payments } from '../../modules/payments/service.ts';
import type { ClientOf } from '../plugins/client.ts';
import { refuse } from '../plugins/rate-limit.ts';
import { jsonBody, jsonErrors } from './json-body.ts';
import { errors } from './responses.ts';

const tags = ['Payments'];

/** Where NOWPayments posts IPNs; app.ts gives the payments module the full URL. */
export const IPN_PATH = '/api/ipn/nowpayments';

/** NOWPayments retries whatever is not a 200: a refused IPN says why with its status. */
const ipnStatus = ({ refused }: IpnResult) =>
  refused === 'not_configured' ? 503 : refused === 'bad_signature' ? 401 : 200;

export interface IpnGuard {
  /** Counts notifications with a bad signature, per IP address. */
  ipnFailures: Limiter;
  clientOf: ClientOf;
  metrics: Metrics;
}

export const paymentRoutes = (payments: Payments, { ipnFailures, clientOf, metrics }: IpnGuard) =>
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
        ...jsonBody,
        body: CreatePaymentBody,
        response: { 201: CreatedPayment, ...jsonErrors(404, 409, 422, 429, 503) },
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
      response: { 200: Payment, ...errors(404, 422, 429) },
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
      async ({ body, request, set, server }) => {
        const result = await payments.handleIpns(body, request.headers.get('x-nowpayments-sig'));
        // Bad signatures are limited per IP address; a valid IPN never is (it is checked first, and
        // checking a body of at most 16 KiB costs microseconds).
        if (result.refused === 'bad_signature') {
          const decision = await ipnFailures.hit(clientOf(server, request));
          if (!decision.allowed) refuse(decision, ipnFailures.name, metrics);
        }
        set.status = ipnStatus(result);
        return { ok: result.refused === undefined, outcome: result.outcome ?? null };
      },
      {
        // The signature covers the body as sent: read it as text, verify, then parse.
        parse: 'text',
        body: t.String(),
        response: {
          200: t.Object({ ok: t.Boolean(), outcome: t.Union([t.String(), t.Null()]) }),
          401: t.Object({ ok: t.Boolean(), outcome: t.Null() }),
          503: t.Object({ ok: t.Boolean(), outcome: t.Null() }),
          ...errors(408, 413, 429),
        },
        detail: {
          tags,
          summary: 'NOWPayments instant payment notification (signed with x-nowpayments-sig)',
          operationId: 'receiveNowPaymentsIpn',
          security: [],
          // Read from the request by the handler (see above), so documented here by hand.
          parameters: [
            {
              name: 'x-nowpayments-sig',
              in: 'header',
              required: true,
              description: 'Hex HMAC-SHA512, with the IPN secret, of the body with its keys sorted at every depth',
              schema: { type: 'string' },
            },
          ],
        },
      },
    );
