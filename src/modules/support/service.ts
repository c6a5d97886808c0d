import { and, count, desc, eq } from 'drizzle-orm';
import type { Clock } from '../../lib/clock.ts';
import { AppError } from '../../lib/errors.ts';
import type { Db } from '../../store/database.ts';
import { supportTickets } from '../../store/schema/index.ts';
import type { Orders } from '../orders/service.ts';
import { MAX_OPEN_TICKETS, TICKET_MESSAGE_MAX, TICKET_MESSAGE_MIN, type TicketView } from './model.ts';

export interface SupportDeps {
  db: Db;
  clock: Clock;
  /** To check that a ticket about an order is about one of the author's own orders. */
  orders: Pick<Orders, 'get'>;
  maxOpenTickets?: number;
}

type TicketRow = typeof supportTickets.$inferSelect;

const toView = (row: TicketRow): TicketView => ({
  id: row.id,
  status: row.status,
  message: row.message,
  order_id: row.orderId,
  admin_reply: row.adminReply,
  created_at: new Date(row.createdAt).toISOString(),
  updated_at: new Date(row.updatedAt).toISOString(),
});

const invalid = (field: string, message: string) =>
  new AppError('validation_failed', `invalid ticket: ${field}`, [{ in: 'body', field, message }]);

/** Support tickets, buyer side: open one (optionally about an order), see one's own and their state. */
export function createSupport({ db, clock, orders, maxOpenTickets = MAX_OPEN_TICKETS }: SupportDeps) {
  function ownOrder(userId: number, orderId: string): string {
    const id = orderId.trim().toUpperCase();
    let buyerId: number | undefined;
    try {
      buyerId = orders.get(id).buyerId;
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'not_found')) throw error;
    }
    // Someone else's order is "not found" too: a ticket must not reveal that it exists.
    if (buyerId !== userId) throw invalid('order_id', 'no order of yours has this id');
    return id;
  }

  function openTicket(userId: number, message: string, orderId?: string | null): TicketView {
    const text = message.trim();
    if (text.length < TICKET_MESSAGE_MIN || text.length > TICKET_MESSAGE_MAX) {
      throw invalid('message', `from ${TICKET_MESSAGE_MIN} to ${TICKET_MESSAGE_MAX} characters`);
    }
    const order = orderId ? ownOrder(userId, orderId) : null;
    return db.transaction(
      (tx) => {
        const open =
          tx
            .select({ n: count() })
            .from(supportTickets)
            .where(and(eq(supportTickets.userId, userId), eq(supportTickets.status, 'open')))
            .get()?.n ?? 0;
        if (open >= maxOpenTickets) {
          throw new AppError(
            'conflict',
            `you already have ${open} open tickets; please wait for an answer before opening another`,
            { reason: 'too_many_open_tickets', limit: maxOpenTickets },
          );
        }
        const now = clock.now();
        // admin (inbox): a user writing again after an answer reopens that ticket, the new text
        // under the old, so the operator sees the whole exchange in one place.
        const answered = tx
          .select()
          .from(supportTickets)
          .where(and(eq(supportTickets.userId, userId), eq(supportTickets.status, 'answered')))
          .orderBy(desc(supportTickets.updatedAt))
          .get();
        if (answered && (order === null || answered.orderId === null || answered.orderId === order)) {
          const reopened = tx
            .update(supportTickets)
            .set({
              status: 'open',
              message: `${answered.message}\n\n» ${text}`,
              orderId: answered.orderId ?? order,
              updatedAt: now,
            })
            .where(eq(supportTickets.id, answered.id))
            .returning()
            .get()!;
          return toView(reopened);
        }
        const row = tx
          .insert(supportTickets)
          .values({ userId, orderId: order, message: text, status: 'open', createdAt: now, updatedAt: now })
          .returning()
          .get();
        return toView(row);
      },
      { behavior: 'immediate' },
    );
  }

  /** The user's tickets, newest first. */
  function listTickets(userId: number, limit = 50): TicketView[] {
    return db
      .select()
      .from(supportTickets)
      .where(eq(supportTickets.userId, userId))
      .orderBy(desc(supportTickets.createdAt), desc(supportTickets.id))
      .limit(limit)
      .all()
      .map(toView);
  }

  return { openTicket, listTickets };
}

export type Support = ReturnType<typeof createSupport>;
