import { t } from 'elysia';
import { Type, type Static } from '@sinclair/typebox';
import { AdminOrdersQuery, Order } from '../orders/model.ts';

/** Shapes of the operator's jobs, orders and payout-export API, shared by the HTTP face and the services. */
export const JobStatusSchema = t.Union([
  t.Literal('ready'),
  t.Literal('running'),
  t.Literal('done'),
  t.Literal('dead'),
]);

export const JobView = t.Object({
  id: Type.Integer(),
  kind: t.String({ examples: ['deliver', 'email', 'broadcast'] }),
  status: JobStatusSchema,
  for: t.String({
    description: 'What the job was for: its unique key, else its payload',
    examples: ['deliver:ORD-2611-ABCD2345'],
  }),
  order_id: t.Union([t.String(), t.Null()], { description: 'The order the job works on, when it names one' }),
  payload: t.Unknown({ description: 'The job payload as enqueued' }),
  attempts: Type.Integer(),
  max_attempts: Type.Integer(),
  last_error: t.Union([t.String(), t.Null()]),
  run_at: t.String({ format: 'date-time' }),
  created_at: t.String({ format: 'date-time' }),
  finished_at: t.Union([t.String({ format: 'date-time' }), t.Null()]),
});
export type JobView = Static<typeof JobView>;

export const JobsQuery = t.Object({
  status: t.Optional(
    t.Union([t.Literal('ready'), t.Literal('running'), t.Literal('done'), t.Literal('dead')], { default: 'dead' }),
  ),
  kind: t.Optional(t.String({ minLength: 1, maxLength: 40 })),
  before: t.Optional(Type.Integer({ minimum: 1, description: 'Jobs older than this id (the next page)' })),
  limit: t.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
});

export const OrderSearchQuery = t.Object({
  ...AdminOrdersQuery.properties,
  order_id: t.Optional(
    t.String({ minLength: 1, maxLength: 40, description: 'One order by its id (other filters ignored)' }),
  ),
  user: t.Optional(
    t.String({
      minLength: 1,
      maxLength: 254,
      description: 'The buyer: a Telegram id (digits), an @username or an e-mail address',
      examples: ['424242', '@ada', 'ada@example.com'],
    }),
  ),
});

export const UndeliveredOrder = t.Object({
  order: Order,
  title: t.String(),
  why: t.Union(
    [
      t.Literal('no_file'),
      t.Literal('blocked_bot'),
      t.Literal('dead_job'),
      t.Literal('in_progress'),
      t.Literal('no_job'),
    ],
    {
      description:
        'no_file: the course has no file; blocked_bot: the buyer blocked the bot; dead_job: the delivery gave up (see last_error); in_progress: a delivery is queued; no_job: nothing is trying (run it again)',
    },
  ),
  job_id: t.Union([Type.Integer(), t.Null()]),
  last_error: t.Union([t.String(), t.Null()]),
});

export const Received = t.Union([
  t.Object({
    currency: t.String({ examples: ['BTC'] }),
    asked: t.Union([t.String(), t.Null()]),
    paid: t.String(),
    missing: t.Union([t.String(), t.Null()]),
  }),
  t.Null(),
]);
export const PartialOrder = t.Object({ order: Order, title: t.String(), received: Received });

export const FlagStateQuery = t.Object({
  state: t.Optional(t.Union([t.Literal('open'), t.Literal('handled'), t.Literal('all')], { default: 'open' })),
  limit: t.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
});
export const HandledBody = t.Object({ note: t.Optional(t.String({ minLength: 1, maxLength: 500 })) });
export const HandledEvent = t.Object({
  id: Type.Integer(),
  flag: t.String(),
  handled_at: t.String({ format: 'date-time' }),
  handled_by: t.String(),
  handled_note: t.Union([t.String(), t.Null()]),
});

/** A flagged Stars charge given back: the event, handled, with the charge and its amount. */
export const StarsGivenBack = t.Object({
  ...HandledEvent.properties,
  charge_id: t.String({ description: 'The Telegram charge refunded (refundStarPayment)' }),
  stars: Type.Integer({ minimum: 1 }),
});
