import { Elysia, t } from 'elysia';
import { AppError } from '../../lib/errors.ts';
import { OrderAccessView, type OrderAccess } from '../../modules/orders/access.ts';
import { errors, ErrorResponse } from './responses.ts';

export const ORDER_TOKEN_HEADER = 'x-order-token';
/** Redirects an order token's holder to a fresh download link (the receipt's "get a new link"). */
export const ORDER_DOWNLOAD_PATH = '/api/orders/:id/download';
export const orderDownloadPath = (orderId: string, token: string) =>
  `${ORDER_DOWNLOAD_PATH.replace(':id', encodeURIComponent(orderId))}?token=${encodeURIComponent(token)}`;

const tags = ['Payments'];
const params = t.Object({
  id: t.String({ minLength: 1, maxLength: 40, description: 'The order id from POST /api/payment' }),
});
/**
 * The header wins over the query: a client that can send a header keeps the token out of URLs.
 * Both are the security schemes `orderToken` and `orderTokenQuery`, not declared parameters.
 */
const tokenOf = (request: Request) =>
  request.headers.get(ORDER_TOKEN_HEADER) ?? new URL(request.url).searchParams.get('token') ?? undefined;
const security: Record<string, string[]>[] = [{ orderToken: [] }, { orderTokenQuery: [] }];

/** Public routes opened by an order token (the token is the credential; see modules/orders/access.ts). */
export const orderTokenRoutes = (access: OrderAccess) =>
  new Elysia({ name: 'order-token-routes' })
    .get('/api/orders/:id', ({ params, request }) => access.read(params.id, tokenOf(request)), {
      params,
      response: { 200: OrderAccessView, ...errors(401, 404, 422, 429) },
      detail: {
        tags,
        summary: "An order's state and, once paid, a fresh download link (order token)",
        description:
          'Opened by the `order_token` of POST /api/payment (or the one in the receipt e-mail), as `?token=` or the ' +
          '`X-Order-Token` header. Each call once paid makes a new signed link valid DOWNLOAD_LINK_HOURS. No token ' +
          'answers 401; a wrong one 404, like an unknown order.',
        operationId: 'getOrderByToken',
        security,
      },
    })
    .get(
      ORDER_DOWNLOAD_PATH,
      ({ params, request }) => {
        const { download } = access.read(params.id, tokenOf(request));
        if (!download)
          throw new AppError('conflict', 'no download yet: the order is not paid, or the course has no file yet');
        return new Response(null, { status: 303, headers: { location: download.url, 'cache-control': 'no-store' } });
      },
      {
        params,
        detail: {
          tags,
          summary: 'Redirects to a fresh download link (the "get a new link" of the receipt e-mail)',
          operationId: 'downloadOrderByToken',
          security,
          responses: {
            303: {
              description: 'Location: a new signed download link',
              headers: { Location: { schema: { type: 'string' } } },
            },
            ...Object.fromEntries(
              [
                [401, 'No order token'],
                [404, 'Unknown order, or a wrong token'],
                [409, 'The order is not paid yet, or its course has no file yet'],
                [422, 'Invalid parameters'],
                [429, 'Too many requests'],
              ].map(([status, description]) => [
                status,
                { description, content: { 'application/json': { schema: ErrorResponse } } },
              ]),
            ),
          },
        },
      },
    );
