import { and, asc, count, desc, eq, ne } from 'drizzle-orm';
import type { Clock } from '../../lib/clock.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import type { Db } from '../../store/database.ts';
import { supportTickets } from '../../store/schema/index.ts';
import { TICKET_MESSAGE_MAX } from './model.ts';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type TicketRow = typeof supportTickets.$inferSelect;

/**
 * The operator's side of support: open tickets oldest first, a reply (the ticket becomes
 * `answered`), close. A user writing again reopens their answered ticket (support/service.ts).
 */
export function createSupportInbox({ db, clock }: { db: Db; clock: Clock }) {
  function get(id: number, tx: Tx | Db = db): TicketRow {
    const row = tx.select().from(supportTickets).where(eq(supportTickets.id, id)).get();
    if (!row) throw notFound(`ticket ${id}`);
    return row;
  }

  function list(status: 'open' | 'answered' | 'closed' = 'open', limit = 20): TicketRow[] {
    return db
      .select()
      .from(supportTickets)
      .where(eq(supportTickets.status, status))
      .orderBy(
        status === 'open' ? asc(supportTickets.updatedAt) : desc(supportTickets.updatedAt),
        asc(supportTickets.id),
      )
      .limit(limit)
      .all();
  }

  function reply(id: number, text: string, tx: Tx | Db = db): TicketRow {
    const body = text.trim();
    if (body.length < 2 || body.length > TICKET_MESSAGE_MAX) {
      throw new AppError('validation_failed', 'invalid reply', [
        { in: 'body', field: 'reply', message: `2 to ${TICKET_MESSAGE_MAX} characters` },
      ]);
    }
    const row = get(id, tx);
    if (row.status === 'closed') throw new AppError('conflict', 'this ticket is closed');
    return tx
      .update(supportTickets)
      .set({ status: 'answered', adminReply: body, updatedAt: clock.now() })
      .where(eq(supportTickets.id, id))
      .returning()
      .get()!;
  }

  function close(id: number, tx: Tx | Db = db): TicketRow {
    const row = get(id, tx);
    if (row.status === 'closed') throw new AppError('conflict', 'this ticket is closed already');
    return tx
      .update(supportTickets)
      .set({ status: 'closed', updatedAt: clock.now() })
      .where(and(eq(supportTickets.id, id), ne(supportTickets.status, 'closed')))
      .returning()
      .get()!;
  }

  const openCount = () =>
    db.select({ n: count() }).from(supportTickets).where(eq(supportTickets.status, 'open')).get()!.n;

  return { get: (id: number) => get(id), list, reply, close, openCount };
}

export type SupportInbox = ReturnType<typeof createSupportInbox>;
