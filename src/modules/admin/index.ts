import type { Clock } from '../../lib/clock.ts';
import type { Logger } from '../../lib/logger.ts';
import type { Db } from '../../store/database.ts';
import type { CatalogModeration } from '../catalog/moderation.ts';
import type { Catalog } from '../catalog/service.ts';
import type { Orders } from '../orders/service.ts';
import type { Stars } from '../payments/stars.ts';
import type { SellersModule } from '../sellers/index.ts';
import type { SellerSuspension } from '../sellers/suspension.ts';
import type { UserModeration } from '../users/moderation.ts';
import type { Users } from '../users/service.ts';
import type { OrderStats } from '../orders/stats.ts';
import type { SupportInbox } from '../support/inbox.ts';
import type { UserStats } from '../users/stats.ts';
import { createPacer } from '../../lib/pacer.ts';
import type { JobSink } from '../orders/service.ts';
import type { Audience } from '../users/audience.ts';
import { createAudit } from './audit.ts';
import { BROADCAST_JOB, createBroadcasts, type BroadcastJob } from './broadcast.ts';
import { createBroadcastSender } from './broadcast-send.ts';
import { createAdminPayouts } from './payouts.ts';
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
  sellerSuspension: SellerSuspension;
  /** Payouts: the sellers module's queue, decided by the operator. */
  sellers: Pick<SellersModule, 'payouts' | 'profiles'>;
  orderStats: OrderStats;
  userStats: UserStats;
  inbox: SupportInbox;
  /** The queue's dead jobs count. */
  deadJobs: () => number;
  flaggedPayments: () => number;
  audience: Audience;
  /** The durable queue: broadcast batches are its jobs (enqueued in the start transaction). */
  jobs: JobSink;
  /** Real waits in production (429 retry_after, the 25 msg/s pacing); tests step a fake clock. */
  sleep?: (ms: number) => Promise<void>;
}

/** Telegram's bulk limit is about 30 messages per second; 25 leaves room for the bot's own replies. */
export const BROADCAST_PER_SECOND = 25;

/**
 * The operator's module: the audit trail of every admin action, refunds and moderation. Its own
 * table is admin_actions; everything else goes through the other modules' services. The ports
 * (telling users, refunding Stars) are set once the bot exists (`connect`).
 */
export function createAdminModule(deps: AdminModuleDeps) {
  const { db, clock, logger, registry, adminTelegramIds } = deps;
  const metrics = createAdminMetrics(registry, () => deps.inbox.openCount());
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
  const moderation = createModeration({ db, audit, catalog: deps.catalogModeration, people: deps.userModeration, sellers: deps.sellerSuspension, users: deps.users, ports: () => ports });
  const stats = createAdminStats({ clock, orders: deps.orderStats, users: deps.userStats, inbox: deps.inbox, catalog: deps.catalog, deadJobs: deps.deadJobs, flaggedPayments: deps.flaggedPayments });
  const tickets = createAdminTickets({ db, audit, inbox: deps.inbox, orders: deps.orders, ports: () => ports });
  const broadcasts = createBroadcasts({ db, clock, audit, audience: deps.audience, orders: deps.orderStats, jobs: deps.jobs, canSend: () => ports.broadcast !== undefined, sellerUserIds: () => deps.sellerSuspension.userIds() });
  const sleep = deps.sleep ?? ((ms: number) => Bun.sleep(ms));
  const sender = createBroadcastSender({
    db,
    clock,
    logger,
    broadcasts,
    users: deps.users,
    jobs: deps.jobs,
    pacer: createPacer({ limit: BROADCAST_PER_SECOND, windowMs: 1000, clock, sleep }),
    sleep,
    ports: () => ports.broadcast,
    onOutcome: (outcome) => metrics.broadcastMessages.inc({ outcome }),
  });
  const payouts = createAdminPayouts({ db, audit, sellers: deps.sellers, ports: () => ports, onDecided: (status) => metrics.payouts.inc({ status }) });
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
    broadcasts,
    payouts,
    /** The broadcast job itself (tests and the bench drive it batch by batch). */
    sender,
    /** One broadcast batch at a time in this process (the pacer is per process). */
    registerJobs(queue: { register(kind: string, handler: (payload: unknown) => Promise<unknown>, options?: { concurrency?: number; maxAttempts?: number }): void }) {
      queue.register(BROADCAST_JOB, (payload) => sender.runBatch(payload as BroadcastJob), { concurrency: 1, maxAttempts: 10 });
    },
    /** Called by app.ts once the bot exists: how to tell users things and refund Stars. */
    connect(next: AdminPorts) {
      ports = next;
    },
  };
}

export type AdminModule = ReturnType<typeof createAdminModule>;
