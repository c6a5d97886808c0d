import { t } from 'elysia';
import { integer, oneOf } from '../../lib/schema.ts';
import { orderStatuses } from '../../store/schema/index.ts';

export const OrderStatusSchema = oneOf(orderStatuses);

export const Order = t.Object({
  id: t.String({ examples: ['ORD-2611-ABCD2345'] }),
  status: OrderStatusSchema,
  product_id: t.String(),
  buyer_id: integer(),
  seller_id: integer(),
  payment_method: oneOf(['crypto', 'stars']),
  price_cents: integer(),
  fee_cents: integer(),
  currency: t.String(),
  created_at: t.String({ format: 'date-time' }),
  updated_at: t.String({ format: 'date-time' }),
  paid_at: t.Union([t.String({ format: 'date-time' }), t.Null()]),
  delivered_at: t.Union([t.String({ format: 'date-time' }), t.Null()]),
  expires_at: t.Union([t.String({ format: 'date-time' }), t.Null()]),
});
export type OrderView = typeof Order.static;

export const AdminOrdersQuery = t.Object({
  status: t.Optional(OrderStatusSchema),
  product_id: t.Optional(t.String({ maxLength: 40 })),
  buyer_id: t.Optional(integer({ minimum: 1 })),
  limit: t.Optional(integer({ minimum: 1, maximum: 100 })),
});
export type AdminOrdersInput = typeof AdminOrdersQuery.static;
