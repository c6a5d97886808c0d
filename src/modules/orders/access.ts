/**
 * What an order token opens (GET /api/orders/{id}): the order's state and, once paid, a fresh
 * signed download link. The token is the only key: no API key, no Telegram account. A wrong
 * token and an unknown order answer the same not_found, so ids cannot be probed; no token at
 * all is refused before any order is looked at.
 */
import { t } from 'elysia';
import { Type } from '@sinclair/typebox';
import { AppError } from '../../lib/errors.ts';
import { OrderStatusSchema } from './model.ts';
import { toOrderView, type OrderRow, type Orders } from './service.ts';
import type { OrderTokens } from './tokens.ts';

export const OrderAccessView = t.Object({
  order_id: t.String({ examples: ['ORD-2612-ABCD2345'] }),
  status: OrderStatusSchema,
  product_id: t.String(),
  price_cents: Type.Integer(),
  currency: t.String(),
  paid_at: t.Union([t.String({ format: 'date-time' }), t.Null()]),
  delivered_at: t.Union([t.String({ format: 'date-time' }), t.Null()]),
  download: t.Union(
    [
      t.Object({
        url: t.String({ description: 'Signed, expiring download link' }),
        expires_at: t.String({ format: 'date-time' }),
      }),
      t.Null(),
    ],
    {
      description: 'A link made for this request once the order is paid; null before (or while the course has no file)',
    },
  ),
});
export type OrderAccessView = typeof OrderAccessView.static;

export interface OrderAccessDeps {
  orders: Pick<Orders, 'get'>;
  tokens: Pick<OrderTokens, 'check'>;
  /** The files module's signed link for a buyer and a product. */
  downloadLink: (buyerId: number, productId: string) => { url: string; expiresAt: number };
}

export function createOrderAccess({ orders, tokens, downloadLink }: OrderAccessDeps) {
  function link(order: OrderRow): OrderAccessView['download'] {
    if (order.status !== 'paid' && order.status !== 'delivered') return null;
    try {
      const made = downloadLink(order.buyerId, order.productId);
      return { url: made.url, expires_at: new Date(made.expiresAt).toISOString() };
    } catch (error) {
      // No file yet, no PUBLIC_URL, a refunded entitlement: the state is still worth showing.
      if (error instanceof AppError) return null;
      throw error;
    }
  }

  function read(orderId: string, token: string | undefined): OrderAccessView {
    // Refused before any lookup: the answer says nothing about the order.
    if (!token) throw new AppError('unauthorized', 'an order token is needed (?token= or the X-Order-Token header)');
    let order: OrderRow;
    try {
      if (!tokens.check(orderId, token)) throw new AppError('not_found', `order ${orderId} not found`);
      order = orders.get(orderId);
    } catch (error) {
      if (error instanceof AppError && error.code === 'not_found')
        throw new AppError('not_found', `order ${orderId} not found`);
      throw error;
    }
    const { id, status, product_id, price_cents, currency, paid_at, delivered_at } = toOrderView(order);
    return { order_id: id, status, product_id, price_cents, currency, paid_at, delivered_at, download: link(order) };
  }

  return { read };
}

export type OrderAccess = ReturnType<typeof createOrderAccess>;
