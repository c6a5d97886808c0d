import type { Queue } from '../../lib/queue.ts';
import { localeOf } from '../../locales/index.ts';
import type { ModuleBase } from '../base.ts';
import type { CatalogModeration } from '../catalog/moderation.ts';
import type { Catalog } from '../catalog/service.ts';
import type { Notify } from '../notify/index.ts';
import type { OrderStats } from '../orders/stats.ts';
import type { JobSink, Orders } from '../orders/service.ts';
import type { Payments } from '../payments/service.ts';
import type { Stars } from '../payments/stars.ts';
import type { Sellers } from '../sellers/index.ts';
import type { SupportInbox, TicketRow } from '../support/inbox.ts';
import type { Audience } from '../users/audience.ts';
import type { UserModeration } from '../users/moderation.ts';
import type { SellerSuspension } from '../users/seller-suspension.ts';
import type { Users } from '../users/service.ts';
import type { UserStats } from '../users/stats.ts';
import { createPacer } from '../../lib/pacer.ts';
import { createAudit } from './audit.ts';
import { BROADCAST_JOB, createBroadcasts, type BroadcastJob } from './broadcast.ts';
import { createBroadcastSender } from './broadcast-send.ts';
import { createAdminJobs, type JobDesk } from './jobs.ts';
import { createAdminOrders, type AdminOrdersDeps } from './orders.ts';
import { createAdminPaymentFlags } from './payment-flags.ts';
import { createAdminPayouts } from './payouts.ts';
import { createPayoutExport } from './payout-export.ts';
import { createAdminStats } from './stats.ts';
import { createAdminTickets } from './tickets.ts';
import { createAdminMetrics } from './metrics.ts';
import { createModeration } from './moderation.ts';
import type { AdminPorts } from './ports.ts';
import { createRefunds } from './refunds.ts';

export type { BroadcastAudience } from './broadcast.ts';

/**
 * What the admin module is built from: the other modules' services, and their `operator` parts
 * (each module's own side of the operator's work, over its own tables).
 */
export interface AdminModuleDeps extends Pick<ModuleBase, 'db' | 'clock' | 'logger' | 'config' | 'metrics'> {
  /** Broadcast batches are durable jobs (enqueued in the start transaction); its dead jobs are counted. */
  queue: JobSink & Pick<Queue, 'stats' | 'byUniqueKey' | 'byUniqueKeyPrefix'> & JobDesk;
  orders: Orders;
  stars: Pick<Stars, 'chargeOf' | 'flaggedCharge'>;
  users: Users;
  catalog: Pick<Catalog, 'productFile'>;
  payments: Pick<Payments, 'flaggedEvents' | 'markHandled' | 'openFlagCount' | 'received'>;
  /** Finds the buyer an operator names (Telegram id, @username, e-mail). */
  findPerson: AdminOrdersDeps['findPerson'];
  /** Every seller's id (the payout export reads each one's payouts through the sellers module). */
  /** Payouts: the sellers module's queue, decided by the operator. */
  sellers: Pick<Sellers, 'payouts' | 'profiles'>;
  /** The e-mail copy of a ticket's reply (to a user with an address, when SMTP is set). */
  notify: Pick<Notify, 'supportReply' | 'partialRefused'>;
  catalogModeration: CatalogModeration;
  userModeration: UserModeration;
  sellerSuspension: SellerSuspension;
  orderStats: OrderStats;
  userStats: UserStats;
  inbox: SupportInbox;
  audience: Audience;
  /** Real waits in production (429 retry_after, the 25 msg/s pacing); tests step a fake clock. */
  sleep?: (ms: number) => Promise<void>;
}

/** Pending payouts summed for the stats (more than this many pending would be a problem of its own). */
const PENDING_PAYOUTS_SCAN = 10_000;

/** Telegram's bulk limit is about 30 messages per second; 25 leaves room for the bot's own replies. */
export const BROADCAST_PER_SECOND = 25;

/**
 * The operator's module: the audit trail of every admin action, refunds and moderation. Its own
 * table is admin_actions; everything else goes through the other modules' services. The ports
 * (telling users, refunding Stars) are set once the bot exists (`connect`).
 */
export function createAdminModule(deps: AdminModuleDeps) {
  const { db, clock, logger, config, queue } = deps;
  const metrics = createAdminMetrics(deps.metrics.registry, () => deps.inbox.openCount());
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
  const moderation = createModeration({
    db,
    audit,
    catalog: deps.catalogModeration,
    people: deps.userModeration,
    sellers: deps.sellerSuspension,
    users: deps.users,
    ports: () => ports,
  });
  const stats = createAdminStats({
    clock,
    orders: deps.orderStats,
    users: deps.userStats,
    inbox: deps.inbox,
    catalog: deps.catalog,
    deadJobs: () => queue.stats().byStatus.dead,
    flaggedPayments: () => deps.payments.openFlagCount(),
    pendingPayouts: () => {
      // The queue is short in practice (an operator pays it down); bounded all the same.
      const pending = deps.sellers.payouts.listPending(PENDING_PAYOUTS_SCAN);
      const amount_cents = pending.reduce((sum, p) => sum + p.amount_cents, 0);
      return { count: pending.length, amount_cents, currency: pending[0]?.currency ?? config.storeCurrency };
    },
  });
  /** A reply's e-mail copy: a durable job of the notify module, keyed by the reply's time (sent once). */
  const emailReply = (ticket: TicketRow) => {
    const user = deps.users.get(ticket.userId);
    const { id: ticketId, updatedAt: replyId, adminReply } = ticket;
    deps.notify.supportReply({
      ticketId,
      replyId,
      to: user.email,
      lang: localeOf(user.language),
      reply: adminReply ?? '',
    });
  };
  const tickets = createAdminTickets({
    db,
    audit,
    inbox: deps.inbox,
    orders: deps.orders,
    ports: () => ports,
    emailReply,
  });
  const broadcasts = createBroadcasts({
    db,
    clock,
    audit,
    audience: deps.audience,
    orders: deps.orderStats,
    jobs: queue,
    canSend: () => ports.broadcast !== undefined,
    sellerUserIds: () => deps.sellerSuspension.userIds(),
  });
  const sleep = deps.sleep ?? ((ms: number) => Bun.sleep(ms));
  const sender = createBroadcastSender({
    db,
    clock,
    logger,
    broadcasts,
    users: deps.users,
    jobs: queue,
    pacer: createPacer({ limit: BROADCAST_PER_SECOND, windowMs: 1000, clock, sleep }),
    sleep,
    ports: () => ports.broadcast,
    onOutcome: (outcome) => metrics.broadcastMessages.inc({ outcome }),
  });
  const onDecided = (status: string) => metrics.payouts.inc({ status });
  const payouts = createAdminPayouts({ db, audit, sellers: deps.sellers, ports: () => ports, onDecided });
  const log = logger.child({ component: 'admin' });
  const jobs = createAdminJobs({ db, audit, queue });
  const orderDesk = createAdminOrders({
    db,
    audit,
    orders: deps.orders,
    users: deps.users,
    findPerson: deps.findPerson,
    catalog: deps.catalog,
    payments: deps.payments,
    queue,
    ports: () => ports,
    notify: deps.notify,
    now: () => clock.now(),
  });
  const paymentFlags = createAdminPaymentFlags({
    db,
    audit,
    payments: deps.payments,
    stars: deps.stars,
    users: deps.users,
    ports: () => ports,
  });
  const payoutExport = createPayoutExport({ clock, sellers: deps.sellers, audit });

  /**
   * Whether a Telegram user may act as an operator, checked on every admin update (a button
   * from a removed admin does nothing). A refusal is logged and audited.
   */
  function allows(telegramId: number, what: string): boolean {
    // ADMIN_USER_ID, read at every action.
    if (config.admin.telegramIds.includes(telegramId)) return true;
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
    /** Dead jobs: listed, retried or discarded. */
    jobs,
    /** Orders: search, undelivered with why, partial payments, delivery run again. */
    orders: orderDesk,
    /** Flagged payment events, marked handled. */
    paymentFlags,
    /** Payouts of a period, as CSV for the books. */
    payoutExport,
    /** The broadcast job itself (tests and the bench drive it batch by batch). */
    sender,
    /** One broadcast batch at a time in this process (the pacer is per process). */
    registerJobs(jobs: Pick<Queue, 'register'>) {
      const options = { concurrency: 1, maxAttempts: 10 };
      jobs.register(BROADCAST_JOB, (payload) => sender.runBatch(payload as BroadcastJob), options);
    },
    /** Called by the Telegram face once the bot exists: how to tell users things, refund Stars, broadcast. */
    connect(next: AdminPorts) {
      ports = next;
    },
  };
}

export type Admin = ReturnType<typeof createAdminModule>;
