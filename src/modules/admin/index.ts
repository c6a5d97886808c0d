import type { Clock } from '../../lib/clock.ts';
import type { Logger } from '../../lib/logger.ts';
import type { Db } from '../../store/database.ts';
import type { CatalogModeration } from '../catalog/moderation.ts';
import type { Catalog } from '../catalog/service.ts';
import type { Orders } from '../orders/service.ts';
import type { Stars } from '../payments/stars.ts';
import type { UserModeration } from '../users/moderation.ts';
import type { Users } from '../users/service.ts';
import type { OrderStats } from '../orders/stats.ts';
import type { SupportInbox } from '../support/inbox.ts';
import type { UserStats } from '../users/stats.ts';
import { createAudit } from './audit.ts';
import { createAdminStats } from './stats.ts';
import { createAdminTickets } from './tickets.ts';
import { createAdminMetrics } from './metrics.ts';
import { createModeration } from './moderation.ts';
import type { AdminPorts } from './ports.ts';
import { createRefunds } from './refunds.ts';
import type { Registry } from 'prom-client';

export interface AdminModuleDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  registry: Registry;
  /** ADMIN_USER_ID: the Telegram ids allowed into /admin (read on every action). */
  adminTelegramIds: readonly number[];
  orders: Orders;
  stars: Pick<Stars, 'chargeOf'>;
  users: Users;
  catalog: Pick<Catalog, 'productFile'>;
  catalogModeration: CatalogModeration;
  userModeration: UserModeration;
  orderStats: OrderStats;
  userStats: UserStats;
  inbox: SupportInbox;
  /** The queue's dead jobs count. */
  deadJobs: () => number;
  flaggedPayments: () => number;
}

/**
 * The operator's module: the audit trail of every admin action, refunds and moderation. Its own
 * table is admin_actions; everything else goes through the other modules' services. The ports
 * (telling users, refunding Stars) are set once the bot exists (`connect`).
 */
export function createAdminModule(deps: AdminModuleDeps) {
  const { db, clock, logger, registry, adminTelegramIds } = deps;
  const metrics = createAdminMetrics(registry);
  let ports: AdminPorts = {};
  const audit = createAudit({ db, clock, onRecorded: (action) => metrics.actions.inc({ action }) });
  const refunds = createRefunds({
    db,
    audit,
    orders: deps.orders,
    stars: deps.stars,
    catalog: deps.catalog,
    users: deps.users,
    ports: () => ports,
    onRefunded: (method) => metrics.refunds.inc({ method }),
  });
  const moderation = createModeration({ db, audit, catalog: deps.catalogModeration, people: deps.userModeration, users: deps.users, ports: () => ports });
  const stats = createAdminStats({ clock, orders: deps.orderStats, users: deps.userStats, inbox: deps.inbox, catalog: deps.catalog, deadJobs: deps.deadJobs, flaggedPayments: deps.flaggedPayments });
  const tickets = createAdminTickets({ db, audit, inbox: deps.inbox, orders: deps.orders, ports: () => ports });
  const log = logger.child({ component: 'admin' });

  /**
   * Whether a Telegram user may act as an operator, checked on every admin update (a button
   * from a removed admin does nothing). A refusal is logged and audited.
   */
  function allows(telegramId: number, what: string): boolean {
    if (adminTelegramIds.includes(telegramId)) return true;
    log.warn({ telegramId, what }, 'admin action refused: not an admin');
    audit.record({ actor: `tg:${telegramId}`, action: 'access_denied', target: what });
    return false;
  }

  return {
    allows,
    audit,
    refunds,
    moderation,
    stats,
    tickets,
    /** Called by app.ts once the bot exists: how to tell users things and refund Stars. */
    connect(next: AdminPorts) {
      ports = next;
    },
  };
}

export type AdminModule = ReturnType<typeof createAdminModule>;
