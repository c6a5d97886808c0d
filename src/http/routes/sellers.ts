import { Type } from '@sinclair/typebox';
import { Elysia, t } from 'elysia';
import { AppError, forbidden } from '../../lib/errors.ts';
import type { Sellers } from '../../modules/sellers/index.ts';
import {
  Balance,
  EmailCodeBody,
  Payout,
  PayoutRequestBody,
  Seller,
  SellerChange,
  SellerPatchBody,
} from '../../modules/sellers/model.ts';
import type { CodeRefusal } from '../../modules/sellers/service.ts';
import type { Principal } from '../../modules/users/model.ts';
import type { ApiKeys } from '../../modules/users/api-keys.ts';
import { authPlugin, bearerSecurity } from '../plugins/auth.ts';
import { jsonBody, jsonErrors } from './json-body.ts';
import { errors, integerQuery } from './responses.ts';

const tags = ['Sellers'];
const DEFAULT_PAGE = 50;

/** The seller a key acts for; an admin key has no "me" here. */
export function sellerIdOf(principal: Principal): number {
  if (principal.role !== 'seller') throw forbidden('these routes need a seller API key');
  return principal.sellerId;
}

const CODE_REFUSALS: Record<CodeRefusal['reason'], string> = {
  wrong: 'wrong code',
  expired: 'the code expired; ask for a new one',
  exhausted: 'too many wrong codes; ask for a new one',
  none: 'no code is waiting; ask for one',
};

const codeRefused = (refusal: CodeRefusal) =>
  new AppError('validation_failed', CODE_REFUSALS[refusal.reason], {
    reason: refusal.reason,
    tries_left: refusal.reason === 'wrong' ? refusal.triesLeft : 0,
  });

const Sale = t.Object({
  order_id: t.String(),
  product_id: t.String(),
  price_cents: Type.Integer(),
  fee_cents: Type.Integer(),
  seller_amount_cents: Type.Integer(),
  currency: t.String(),
  payment_method: t.String({ examples: ['crypto', 'stars'] }),
  paid_at: t.String({ format: 'date-time' }),
});

const SalesQuery = t.Object({
  limit: t.Optional(
    Type.Integer({ minimum: 1, maximum: 500, description: `Page size, 1 to 500 (default ${DEFAULT_PAGE})` }),
  ),
  cursor: t.Optional(t.String({ maxLength: 200, description: '`next_cursor` of the previous page' })),
  product_id: t.Optional(t.String({ maxLength: 40, description: 'Only the sales of this product' })),
  since: t.Optional(t.String({ format: 'date-time', description: 'Only sales paid at or after this time' })),
});

/** Keyset cursor: the last sale's paid_at and order id, base64url. */
const encodeCursor = (sale: { paid_at: string; order_id: string }) =>
  Buffer.from(`${Date.parse(sale.paid_at)}.${sale.order_id}`).toString('base64url');
function decodeCursor(cursor: string) {
  const match = /^(\d{1,15})\.([A-Z0-9-]{1,40})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match)
    throw new AppError('validation_failed', 'invalid query: cursor', [
      { in: 'query', field: 'cursor', message: 'not a cursor of this list' },
    ]);
  return { paidAt: Number(match[1]), orderId: match[2]! };
}

/** The seller side of the API, for a seller key: the same figures the bot shows. */
export const sellerRoutes = (sellers: Pick<Sellers, 'profiles' | 'payouts' | 'dashboard'>, apiKeys: ApiKeys) =>
  new Elysia({ name: 'seller-routes', prefix: '/api/seller' })
    .use(authPlugin(apiKeys))
    .get('/me', ({ principal }) => sellers.profiles.view(sellerIdOf(principal)), {
      auth: 'seller',
      response: { 200: Seller, ...errors(401, 403, 404, 429) },
      detail: { tags, summary: "The key's seller profile", operationId: 'getSellerProfile', security: bearerSecurity },
    })
    .patch(
      '/me',
      async ({ principal, body, set }) => {
        const change = await sellers.profiles.update(sellerIdOf(principal), body);
        if (change.status === 'held') set.status = 202;
        return { ...change.seller, verification: change.verification };
      },
      {
        auth: 'seller',
        ...jsonBody,
        body: SellerPatchBody,
        response: { 200: SellerChange, 202: SellerChange, ...jsonErrors(401, 403, 404, 422, 429, 503) },
        detail: {
          tags,
          summary: 'Change the profile; a payout address is checked against its network (checksums included)',
          description:
            'A new e-mail is stored unverified and, with e-mail configured, gets a 6-digit code (10 minutes, 5 tries) ' +
            'to send to `POST /api/seller/me/email/verify`; sending the same unverified e-mail again sends a new code. ' +
            'When the seller has a verified e-mail, a new payout address or e-mail is not applied: the answer is 202, ' +
            'the code goes to the verified e-mail, and the change is applied when that code is sent to the same route. ' +
            'At most 5 codes an hour (429); 503 when the e-mail server refuses the code (nothing changed).',
          operationId: 'updateSellerProfile',
          security: bearerSecurity,
        },
      },
    )
    .post(
      '/me/email/verify',
      async ({ principal, body }) => {
        const confirmed = await sellers.profiles.confirm(sellerIdOf(principal), body.code);
        if (!confirmed.ok) throw codeRefused(confirmed);
        return { ...confirmed.change.seller, verification: confirmed.change.verification };
      },
      {
        auth: 'seller',
        ...jsonBody,
        body: EmailCodeBody,
        response: { 200: SellerChange, ...jsonErrors(401, 403, 404, 409, 422, 429, 503) },
        detail: {
          tags,
          summary: 'Type the 6-digit code e-mailed: verifies the e-mail, or applies the change it confirms',
          description:
            'A wrong code answers 422 with `details.reason` `wrong` and `details.tries_left`; after 5 wrong codes ' +
            '(`exhausted`), 10 minutes (`expired`) or with no code waiting (`none`), send the PATCH again for a new code.',
          operationId: 'verifySellerEmailCode',
          security: bearerSecurity,
        },
      },
    )
    .get('/balance', ({ principal }) => sellers.payouts.balance(sellerIdOf(principal)), {
      auth: 'seller',
      response: { 200: Balance, ...errors(401, 403, 429) },
      detail: {
        tags,
        summary: 'The balance, from the ledger',
        operationId: 'getSellerBalance',
        security: bearerSecurity,
      },
    })
    .get(
      '/sales',
      ({ principal, query, request }) => {
        const sellerId = sellerIdOf(principal);
        if (request.headers.get('accept')?.includes('text/csv')) {
          return new Response(sellers.dashboard.salesCsv(sellerId), {
            headers: {
              'content-type': 'text/csv; charset=utf-8',
              'content-disposition': 'attachment; filename="sales.csv"',
            },
          });
        }
        const limit = query.limit ?? DEFAULT_PAGE;
        const items = sellers.dashboard.salesPage(sellerId, {
          limit,
          after: query.cursor ? decodeCursor(query.cursor) : undefined,
          sinceMs: query.since ? Date.parse(query.since) : undefined,
          productId: query.product_id?.toUpperCase(),
        });
        return { items, next_cursor: items.length === limit ? encodeCursor(items.at(-1)!) : null };
      },
      {
        auth: 'seller',
        query: SalesQuery,
        transform: integerQuery('limit'),
        response: {
          200: t.Object({ items: t.Array(Sale), next_cursor: t.Union([t.String(), t.Null()]) }),
          ...errors(401, 403, 422, 429),
        },
        detail: {
          tags,
          summary: 'Sales, newest first, one keyset page at a time; with `Accept: text/csv`, every sale as CSV',
          operationId: 'listSellerSales',
          security: bearerSecurity,
        },
      },
    )
    .get('/payouts', ({ principal }) => ({ items: sellers.payouts.history(sellerIdOf(principal), 100) }), {
      auth: 'seller',
      response: { 200: t.Object({ items: t.Array(Payout) }), ...errors(401, 403, 429) },
      detail: { tags, summary: 'Payouts, newest first', operationId: 'listSellerPayouts', security: bearerSecurity },
    })
    .post(
      '/payouts',
      ({ principal, body, set }) => {
        set.status = 201;
        return sellers.payouts.request(sellerIdOf(principal), body.amount_cents);
      },
      {
        auth: 'seller',
        ...jsonBody,
        body: PayoutRequestBody,
        response: { 201: Payout, ...jsonErrors(401, 403, 404, 409, 422, 429) },
        detail: {
          tags,
          summary:
            'Request a payout (at least PAYOUT_MIN; the whole available balance by default); the amount is reserved at once',
          operationId: 'requestSellerPayout',
          security: bearerSecurity,
        },
      },
    );
