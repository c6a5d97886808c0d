import type { ModuleBase } from '../base.ts';
import type { Orders } from '../orders/service.ts';
import { createSupportInbox } from './inbox.ts';
import { createSupport } from './service.ts';

/** Support tickets. Owns the table `support_tickets`; asks orders whether a ticket's order is the author's. */
export function createSupportModule({ db, clock, orders }: ModuleBase & { orders: Pick<Orders, 'get'> }) {
  return {
    support: createSupport({ db, clock, orders }),
    /** The operator's side (admin module): the inbox, replies, closing. */
    operator: { inbox: createSupportInbox({ db, clock }) },
  };
}
