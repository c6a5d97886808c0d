import { t } from 'elysia';
import { integer } from '../../lib/schema.ts';
import { OrderStatusSchema } from '../orders/model.ts';

export const CreatePaymentBody = t.Object(
  {
    product_id: t.String({ minLength: 1, maxLength: 40, description: 'The product to buy' }),
    pay_currency: t.String({
      minLength: 2,
      maxLength: 20,
      pattern: '^[A-Za-z0-9]+$',
      description: 'e.g. btc, eth, usdttrc20',
    }),
    telegram_user_id: t.Optional(integer({ minimum: 1, description: 'The buyer, when acting for a Telegram user' })),
    email: t.Optional(t.String({ format: 'email', maxLength: 200, description: 'The buyer, when known by e-mail' })),
  },
  { examples: [{ product_id: 'TBF-2611-ABCDEF', pay_currency: 'btc', email: 'buyer@example.com' }] },
);
export type CreatePaymentInput = typeof CreatePaymentBody.static;

export const Payment = t.Object({
  payment_id: t.String({ description: "The provider's payment id" }),
  order_id: t.String(),
  status: OrderStatusSchema,
  provider_status: t.String({ examples: ['waiting'] }),
  pay_address: t.Union([t.String(), t.Null()]),
  pay_extra_id: t.Union([t.String(), t.Null()], { description: 'Memo/tag some networks need' }),
  pay_amount: t.Union([t.String(), t.Null()], { description: 'Amount to send, as a decimal string' }),
  pay_currency: t.String(),
  actually_paid: t.Union([t.String(), t.Null()]),
  missing_amount: t.Union([t.String(), t.Null()], { description: 'What is still due after a partial payment' }),
  price_cents: integer(),
  currency: t.String(),
  expires_at: t.Union([t.String({ format: 'date-time' }), t.Null()]),
  payment_uri: t.Union([t.String(), t.Null()], { description: 'For wallets and QR codes, e.g. bitcoin:addr?amount=' }),
});
export type PaymentView = typeof Payment.static;

export const CreatedPayment = t.Composite([
  Payment,
  t.Object({
    order_token: t.String({
      description:
        'A capability to read this order with GET /api/orders/{id} (status, then a fresh download link). ' +
        'Shown once and stored hashed: keep it like a password.',
    }),
  }),
]);
