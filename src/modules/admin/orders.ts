import type { JobRecord, Queue } from '../../lib/queue.ts';
import { AppError } from '../../lib/errors.ts';
import { localeOf } from '../../locales/index.ts';
import type { Db } from '../../store/database.ts';
import type { Catalog } from '../catalog/service.ts';
import type { Notify } from '../notify/index.ts';
import type { AdminOrdersInput } from '../orders/model.ts';
import type { JobSink, OrderRow, Orders } from '../orders/service.ts';
import type { Payments } from '../payments/service.ts';
import { parsePersonQuery, type PersonQuery } from '../users/lookup.ts';
import type { UserRow, Users } from '../users/service.ts';
import type { Audit } from './audit.ts';
import { tell, type AdminPorts } from './ports.ts';
import { formatMoney } from '../../lib/number-format.ts';

/** Why a paid order has not reached its buyer, most telling first. */
export type UndeliveredWhy = 'no_file' | 'blocked_bot' | 'dead_job' | 'in_progress' | 'no_job';

export interface AdminOrdersDeps {
  db: Db;
  audit: Audit;
  orders: Pick<Orders, 'find' | 'get' | 'list' | 'countWithStatus' | 'events' | 'acceptPartial' | 'refusePartial'>;
  users: Pick<Users, 'get'>;
  findPerson: (query: PersonQuery) => UserRow | undefined;
  catalog: Pick<Catalog, 'productFile'>;
  payments: Pick<Payments, 'received'>;
  queue: JobSink & Pick<Queue, 'byUniqueKey' | 'byUniqueKeyPrefix' | 'retryDead'>;
  ports: () => AdminPorts;
  /** An e-mail buyer (no Telegram) is told of a refused partial payment by e-mail. */
  notify: Pick<Notify, 'partialRefused'>;
  now: () => number;
}

export type OrderSearch = AdminOrdersInput & { order_id?: string; user?: string };

const DELIVERY_JOBS = (orderId: string) => [`deliver-receipt:${orderId}`, `deliver:${orderId}`];
/** A delivery run again by the operator: its own key, found by this prefix while it waits. */
const AGAIN = (orderId: string) => `deliver:${orderId}:again:`;
const PENDING = ['ready', 'running'];

/**
 * The operator's order desk: finding orders (by id, product, buyer named by Telegram id,
 * @username or e-mail), the paid orders that did not reach their buyer and why, partial
 * payments accepted or refused, and a delivery run again. Each change is audited in its own
 * transaction; the order rules stay the orders module's.
 */
export function createAdminOrders(deps: AdminOrdersDeps) {
  const { db, audit, orders, queue } = deps;
  const idOf = (raw: string) => raw.trim().toUpperCase();

  function search(query: OrderSearch): OrderRow[] {
    if (query.order_id) {
      const order = orders.find(idOf(query.order_id));
      return order ? [order] : [];
    }
    let buyerId = query.buyer_id;
    if (query.user !== undefined) {
      const person = parsePersonQuery(query.user);
      if (!person) {
        throw new AppError('validation_failed', 'invalid query: user', [
          { in: 'query', field: 'user', message: 'a Telegram id (digits), an @username or an e-mail address' },
        ]);
      }
      const found = deps.findPerson(person);
      if (!found) return [];
      buyerId = found.id;
    }
    return orders.list({ status: query.status, product_id: query.product_id, buyer_id: buyerId, limit: query.limit });
  }

  /**
   * The delivery jobs of an order, the receipt's first (an e-mail buyer's delivery ends there),
   * then the first delivery and each one run again.
   */
  const deliveryJobs = (orderId: string) => [
    ...DELIVERY_JOBS(orderId)
      .map((key) => queue.byUniqueKey(key))
      .filter((job): job is JobRecord => job !== null),
    ...queue.byUniqueKeyPrefix(AGAIN(orderId)),
  ];

  function why(order: OrderRow): { why: UndeliveredWhy; job: JobRecord | null } {
    const jobs = deliveryJobs(order.id);
    const job = jobs.find((j) => j.status === 'dead') ?? jobs.find((j) => PENDING.includes(j.status)) ?? null;
    if (!deps.catalog.productFile(order.productId)?.file) return { why: 'no_file', job };
    if (deps.users.get(order.buyerId).blockedBot) return { why: 'blocked_bot', job };
    if (job?.status === 'dead') return { why: 'dead_job', job };
    return { why: job ? 'in_progress' : 'no_job', job };
  }

  /** Paid orders not delivered, newest first, each with why and the job that tried. */
  function undelivered(limit = 20) {
    return orders.list({ status: 'paid', limit }).map((order) => {
      const { why: reason, job } = why(order);
      return { order, title: titleOf(order), why: reason, job_id: job?.id ?? null, last_error: job?.lastError ?? null };
    });
  }

  /** The Orders screen's counts, each up to `upTo`. */
  const counts = (upTo: number) => ({
    undelivered: orders.countWithStatus('paid', upTo),
    partials: orders.countWithStatus('partially_paid', upTo),
  });

  const titleOf = (order: OrderRow) => deps.catalog.productFile(order.productId)?.title ?? order.productId;

  /** Partially paid orders waiting for a decision, with what arrived. */
  function partials(limit = 20) {
    return orders
      .list({ status: 'partially_paid', limit })
      .map((order) => ({ order, title: titleOf(order), received: deps.payments.received(order.id) }));
  }

  function acceptPartial(actor: string, rawId: string): OrderRow {
    const id = idOf(rawId);
    return db.transaction(
      (tx) => {
        const order = orders.acceptPartial(id, actor, tx);
        audit.record(
          { actor, action: 'accept_partial', target: `order:${id}`, details: { ...deps.payments.received(id) } },
          tx,
        );
        return order;
      },
      { behavior: 'immediate' },
    );
  }

  async function refusePartial(actor: string, rawId: string, reason: string): Promise<OrderRow> {
    const id = idOf(rawId);
    const order = db.transaction(
      (tx) => {
        const row = orders.refusePartial(id, actor, reason, tx);
        audit.record(
          {
            actor,
            action: 'refuse_partial',
            target: `order:${id}`,
            reason,
            details: { ...deps.payments.received(id) },
          },
          tx,
        );
        return row;
      },
      { behavior: 'immediate' },
    );
    const buyer = deps.users.get(order.buyerId);
    const lang = localeOf(buyer.language);
    const told = {
      order: order.id,
      title: titleOf(order),
      price: formatMoney(lang, order.priceCents, order.currency),
      reason,
    };
    if (buyer.telegramId === null) {
      deps.notify.partialRefused({ orderId: order.id, to: buyer.email, lang, ...told });
    } else {
      await tell(deps.ports(), buyer.id, 'admin-partial-refused-buyer', told);
    }
    return order;
  }

  /**
   * Runs a paid order's delivery again: its dead job goes back to the queue, or (none dead, none
   * waiting) a new deliver job is enqueued. The deliver job checks the order's state, so a run
   * too many sends nothing twice. A delivery already waiting is a conflict.
   */
  function redeliver(actor: string, rawId: string): { order: OrderRow; job_id: number } {
    const id = idOf(rawId);
    return db.transaction(
      (tx) => {
        const order = orders.get(id);
        if (order.status !== 'paid') {
          throw new AppError(
            'conflict',
            `only a paid, undelivered order can be delivered again; this one is ${order.status}`,
          );
        }
        const jobs = deliveryJobs(id);
        const waiting = jobs.find((j) => PENDING.includes(j.status));
        if (waiting) throw new AppError('conflict', `a delivery of ${id} is already queued (job ${waiting.id})`);
        const dead = jobs.find((j) => j.status === 'dead');
        const jobId = dead
          ? queue.retryDead(dead.id)!.id
          : Number(queue.enqueue('deliver', { orderId: id }, { uniqueKey: `${AGAIN(id)}${deps.now()}`, tx }));
        audit.record(
          {
            actor,
            action: 'redeliver',
            target: `order:${id}`,
            details: { job_id: jobId, retried: dead !== undefined },
          },
          tx,
        );
        return { order, job_id: jobId };
      },
      { behavior: 'immediate' },
    );
  }

  /** One order with its history, title and, while undelivered, why. */
  function detail(rawId: string) {
    const order = orders.get(idOf(rawId));
    return {
      order,
      title: titleOf(order),
      buyer: deps.users.get(order.buyerId),
      events: orders.events(order.id),
      undelivered: order.status === 'paid' ? why(order) : null,
      received: order.status === 'partially_paid' ? deps.payments.received(order.id) : null,
    };
  }

  return { search, detail, titleOf, undelivered, partials, counts, acceptPartial, refusePartial, redeliver };
}

export type AdminOrders = ReturnType<typeof createAdminOrders>;
