import { t } from 'elysia';
import { Type, type Static } from '@sinclair/typebox';

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
