import { t } from 'elysia';
import { integer, oneOf } from '../../lib/schema.ts';

export const TICKET_MESSAGE_MIN = 5;
export const TICKET_MESSAGE_MAX = 2000;
/** Tickets a user may have waiting for an answer at once. */
export const MAX_OPEN_TICKETS = 5;

export const ticketStatuses = ['open', 'answered', 'closed'] as const;

/** A support ticket as its author sees it, in both faces. */
export const Ticket = t.Object({
  id: integer(),
  status: oneOf(ticketStatuses),
  message: t.String(),
  order_id: t.Union([t.String(), t.Null()]),
  admin_reply: t.Union([t.String(), t.Null()]),
  created_at: t.String({ format: 'date-time' }),
  updated_at: t.String({ format: 'date-time' }),
});
export type TicketView = typeof Ticket.static;
