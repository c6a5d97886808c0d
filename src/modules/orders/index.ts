import type { Queue } from '../../lib/queue.ts';
import type { ModuleBase } from '../base.ts';
import type { Catalog } from '../catalog/service.ts';
import { createOrderJobs, DELIVER_JOB, type OrderJobs, type OrderJobsDeps } from './deliver.ts';
import { createOrders, type JobSink } from './service.ts';

/** How long a buyer has to pay before the order expires. */
const PAYMENT_WINDOW_MS = 60 * 60_000;
const EXPIRE_EVERY_MS = 60_000;

export interface OrdersModuleDeps extends ModuleBase {
  /** Where reaching `paid` enqueues delivery, inside the paying transaction. */
  jobs: JobSink;
  catalog: Pick<Catalog, 'productTerms' | 'countSale' | 'libraryCards'>;
}

/**
 * What the delivery jobs send through Telegram: absent parts when the bot is off. Resolved on
 * the first job, after the bot started (its Api carries auto-retry of flood waits).
 */
export type DeliveryChannels = Pick<OrderJobsDeps, 'telegram' | 'sendToTelegram' | 'notifyDelivered'>;

/**
 * Orders: lifecycle, fees, ledger, entitlements, delivery jobs. Owns the tables `orders`,
 * `order_events`, `entitlements`, `ledger_entries`; asks the catalog for the product.
 */
export function createOrdersModule({ db, clock, logger, config, jobs, catalog }: OrdersModuleDeps) {
  const orders = createOrders({
    db,
    clock,
    jobs,
    feePercent: config.platformFeePercent,
    paymentWindowMs: PAYMENT_WINDOW_MS,
    catalog,
  });
  return {
    orders,
    registerJobs(
      queue: Queue,
      deps: Pick<OrderJobsDeps, 'users' | 'catalog' | 'downloads'> & { channels: () => Promise<DeliveryChannels> },
    ) {
      const { channels, ...rest } = deps;
      let built: Promise<OrderJobs> | undefined;
      const handlers = () =>
        (built ??= channels().then((sent) => createOrderJobs({ logger, orders, ...rest, ...sent })));
      queue.register('deliver', async (payload, job) => (await handlers()).deliver(payload, job), DELIVER_JOB);
      queue.register('notify-sale', async (payload, job) => (await handlers()).notifySale(payload, job));
      queue.register('expire-orders', () => orders.expireDue());
    },
    /** Recurring work, from when the app starts. */
    scheduleJobs: (queue: Queue) => void queue.schedule('expire-orders', EXPIRE_EVERY_MS),
  };
}
