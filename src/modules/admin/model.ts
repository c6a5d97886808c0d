import { t } from 'elysia';
import { Type, type Static } from '@sinclair/typebox';

/** Request and response shapes of the admin API, shared by the HTTP face and the services. */
export const AuditEntry = t.Object({
  id: Type.Integer(),
  actor: t.String({ examples: ['tg:424242', 'key:env'] }),
  action: t.String({ examples: ['refund', 'take_down', 'ban', 'access_denied'] }),
  target: t.Union([t.String(), t.Null()], { examples: ['order:ORD-2611-ABCDEFGH'] }),
  reason: t.Union([t.String(), t.Null()]),
  details: t.Union([t.Record(t.String(), t.Unknown()), t.Null()]),
  created_at: t.String({ format: 'date-time' }),
});
export type AuditEntryView = Static<typeof AuditEntry>;

export const AuditQuery = t.Object({
  action: t.Optional(t.String({ minLength: 1, maxLength: 40 })),
  before: t.Optional(Type.Integer({ minimum: 1, description: 'Entries older than this id (the next page)' })),
  limit: t.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
});

export const Reason = t.String({ minLength: 3, maxLength: 500 });

export const RefundBody = t.Object({
  order_id: t.String({ minLength: 1, maxLength: 40 }),
  note: t.Optional(t.String({ minLength: 3, maxLength: 500, description: 'Why; required for a crypto order' })),
  tx_hash: t.Optional(
    t.String({
      minLength: 10,
      maxLength: 120,
      description: 'The refund transaction (crypto), checked against the network',
    }),
  ),
  network: t.Optional(
    t.Union([t.Literal('BTC'), t.Literal('LTC'), t.Literal('ETH'), t.Literal('TRON'), t.Literal('SOL')]),
  ),
});
export type RefundInput = Static<typeof RefundBody>;

export const RefundResult = t.Object({
  order_id: t.String(),
  method: t.Union([t.Literal('crypto'), t.Literal('stars')]),
  status: t.Literal('refunded'),
  charge_id: t.Union([t.String(), t.Null()], { description: 'The Telegram charge refunded (Stars)' }),
  tx_hash: t.Union([t.String(), t.Null()]),
  seller_balance_cents: Type.Integer({ description: 'The seller balance after the reversal (may be negative)' }),
  currency: t.String({ examples: ['USD'] }),
});
export type RefundResultView = Static<typeof RefundResult>;

export const ModerationBody = t.Object({
  action: t.Union([t.Literal('take_down'), t.Literal('restore')]),
  reason: t.Optional(Reason),
});
export const SuspensionBody = t.Object({ suspended: t.Boolean(), reason: t.Optional(Reason) });
export const BanBody = t.Object({ banned: t.Boolean(), reason: t.Optional(Reason) });

export const StatsQuery = t.Object({
  period: t.Optional(
    t.Union([t.Literal('today'), t.Literal('7d'), t.Literal('30d'), t.Literal('all')], { default: 'today' }),
  ),
});
const Top = { sales: Type.Integer(), revenue_cents: Type.Integer() };
export const Stats = t.Object({
  period: t.String(),
  since: t.String({ format: 'date-time' }),
  orders_by_status: t.Record(t.String(), Type.Integer(), {
    description: 'Orders created in the period, by their state now',
  }),
  orders_created: Type.Integer(),
  orders_paid: Type.Integer({ description: 'Orders paid in the period and not refunded' }),
  revenue_cents: Type.Integer(),
  fee_cents: Type.Integer(),
  conversion: t.Number({ description: 'paid / created' }),
  new_users: Type.Integer(),
  new_sellers: Type.Integer(),
  top_courses: t.Array(t.Object({ id: t.String(), title: t.String(), ...Top })),
  top_sellers: t.Array(t.Object({ id: Type.Integer(), ...Top })),
  open_tickets: Type.Integer(),
  dead_jobs: Type.Integer(),
  flagged_payments: Type.Integer({ description: 'Flagged payment events not handled yet' }),
  pending_payouts: t.Object(
    { count: Type.Integer(), amount_cents: Type.Integer(), currency: t.String({ examples: ['USD'] }) },
    { description: 'Payout requests waiting for the operator, now (whatever the period)' },
  ),
  daily: t.Array(
    t.Object({ day: t.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD (UTC)' }), ...Top }),
    { description: 'The last 30 days (the chart)' },
  ),
});

export const Ticket = t.Object({
  id: Type.Integer(),
  user_id: Type.Integer(),
  order_id: t.Union([t.String(), t.Null()]),
  status: t.String(),
  message: t.String(),
  admin_reply: t.Union([t.String(), t.Null()]),
  created_at: t.String({ format: 'date-time' }),
  updated_at: t.String({ format: 'date-time' }),
});
export const TicketsQuery = t.Object({
  status: t.Optional(t.Union([t.Literal('open'), t.Literal('answered'), t.Literal('closed')], { default: 'open' })),
  limit: t.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
});
export const TicketReplyBody = t.Object({ text: t.String({ minLength: 2, maxLength: 2000 }) });

export const AudienceBody = t.Union([
  t.Object({ kind: t.Union([t.Literal('all'), t.Literal('buyers'), t.Literal('sellers')]) }),
  t.Object({ kind: t.Literal('language'), language: t.Union([t.Literal('en'), t.Literal('fr')]) }),
]);
export const BroadcastBody = t.Object({
  text: t.String({
    minLength: 1,
    maxLength: 4096,
    description: 'HTML formatting (Telegram parse_mode HTML); 1,024 characters at most with a photo',
  }),
  photo: t.Optional(t.String({ minLength: 1, maxLength: 200, description: 'A Telegram file_id or an https URL' })),
  audience: AudienceBody,
});
export const Broadcast = t.Object({
  id: Type.Integer(),
  status: t.String({ examples: ['draft', 'sending', 'cancelled', 'done'] }),
  audience: AudienceBody,
  recipients: Type.Integer({ description: 'Frozen at start; before, who it would reach now' }),
  counts: t.Record(t.String(), Type.Integer(), {
    description: 'Recipients by state: pending, sending, sent, blocked, failed',
  }),
  created_at: t.String({ format: 'date-time' }),
});
