import { Elysia, t } from 'elysia';
import { AppError } from '../../lib/errors.ts';
import { OrderAccessView, type OrderAccess } from '../../modules/orders/access.ts';
import { errors, ErrorResponse } from './responses.ts';

export const ORDER_TOKEN_HEADER = 'x-order-token';

const tags = ['Payments'];
const params = t.Object({ id: t.String({ minLength: 1, maxLength: 40, description: 'The order id from POST /api/payment' }) });
const query = t.Object({
  token: t.Optional(t.String({ maxLength: 100, description: `The order_token (or send it in the ${ORDER_TOKEN_HEADER} header)` })),
});
/** The header wins over the query: a client that can send a header keeps the token out of URLs. */
const tokenOf = (request: Request, fromQuery: string | undefined) => request.headers.get(ORDER_TOKEN_HEADER) ?? fromQuery;
const security: Record<string, string[]>[] = [{ orderToken: [] }, { orderTokenQuery: [] }];

/** Public routes opened by an order token (the token is the credential; see modules/orders/access.ts). */
export const orderTokenRoutes = (access: OrderAccess) =>
  new Elysia({ name: 'order-token-routes' })
    .get('/api/orders/:id', ({ params, query, request }) => access.read(params.id, tokenOf(request, query.token)), {
      params,
      query,
      response: { 200: OrderAccessView, ...errors(404, 422, 429) },
      detail: {
        tags,
        summary: "An order's state and, once paid, a fresh download link (order token)",
        description:
          'Opened by the `order_token` of POST /api/payment (or the one in the receipt e-mail), as `?token=` or the ' +
          '`X-Order-Token` header. Each call once paid makes a new signed link valid DOWNLOAD_LINK_HOURS. A wrong ' +
          'or missing token answers 404 like an unknown order.',
        operationId: 'getOrderByToken',
        security,
      },
    })
    .get(
      '/api/orders/:id/download',
      ({ params, query, request }) => {
        const { download } = access.read(params.id, tokenOf(request, query.token));
        if (!download) throw new AppError('conflict', 'no download yet: the order is not paid, or the course has no file yet');
        return new Response(null, { status: 303, headers: { location: download.url, 'cache-control': 'no-store' } });
      },
      {
        params,
        query,
        detail: {
          tags,
          summary: 'Redirects to a fresh download link (the "get a new link" of the receipt e-mail)',
          operationId: 'downloadOrderByToken',
          security,
          responses: {
            303: { description: 'Location: a new signed download link', headers: { Location: { schema: { type: 'string' } } } },
            ...Object.fromEntries(
              [
                [404, 'Unknown order, or a wrong or missing token'],
                [409, 'The order is not paid yet, or its course has no file yet'],
                [422, 'Invalid parameters'],
                [429, 'Too many requests'],
              ].map(([status, description]) => [status, { description, content: { 'application/json': { schema: ErrorResponse } } }]),
            ),
          },
        },
      },
    );
