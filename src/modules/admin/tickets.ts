import type { Db } from '../../store/database.ts';
import type { Orders } from '../orders/service.ts';
import type { SupportInbox, TicketRow } from '../support/inbox.ts';
import type { Audit } from './audit.ts';
import { tell, type AdminPorts } from './ports.ts';

export interface TicketsDeps {
  db: Db;
  audit: Audit;
  inbox: SupportInbox;
  orders: Pick<Orders, 'list'>;
  ports: () => AdminPorts;
  /** The reply's e-mail copy (notify module); best effort, the reply is committed already. */
  emailReply: (ticket: TicketRow) => void;
}

/**
 * The support inbox as the operator works it: open tickets oldest first with the author's recent
 * orders at hand; a reply (audited with the change) reaches the user in the bot, and by e-mail
 * when they gave an address and SMTP is set; close.
 */
export function createAdminTickets({ db, audit, inbox, orders, ports, emailReply }: TicketsDeps) {
  function open(limit = 20) {
    return inbox
      .list('open', limit)
      .map((ticket) => ({ ticket, orders: orders.list({ buyer_id: ticket.userId, limit: 5 }) }));
  }

  async function reply(actor: string, id: number, text: string): Promise<TicketRow> {
    const ticket = db.transaction(
      (tx) => {
        const row = inbox.reply(id, text, tx);
        audit.record({ actor, action: 'ticket_reply', target: `ticket:${id}`, details: { reply: row.adminReply } }, tx);
        return row;
      },
      { behavior: 'immediate' },
    );
    await tell(ports(), ticket.userId, 'admin-ticket-reply', { id: ticket.id, reply: ticket.adminReply ?? '' });
    try {
      emailReply(ticket);
    } catch {
      // A ticket whose author is gone: the reply stands, with no copy.
    }
    return ticket;
  }

  function close(actor: string, id: number): TicketRow {
    return db.transaction(
      (tx) => {
        const row = inbox.close(id, tx);
        audit.record({ actor, action: 'ticket_close', target: `ticket:${id}` }, tx);
        return row;
      },
      { behavior: 'immediate' },
    );
  }

  return { open, reply, close, get: inbox.get, list: inbox.list };
}

export type AdminTickets = ReturnType<typeof createAdminTickets>;
