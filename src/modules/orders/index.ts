import type { Queue } from '../../lib/queue.ts';
import { localeOf } from '../../locales/index.ts';
import type { ModuleBase } from '../base.ts';
import type { Catalog } from '../catalog/service.ts';
import type { Notify } from '../notify/index.ts';
import { createReceipts } from '../notify/receipt.ts';
import { createOrderAccess, type OrderAccessDeps } from './access.ts';
import { createOrderJobs, DELIVER_JOB, RECEIPT_JOB, type OrderJobs, type OrderJobsDeps } from './deliver.ts';
import { createOrders, type JobSink } from './service.ts';
import { createOrderStats } from './stats.ts';
import { createOrderTokens } from './tokens.ts';
import { formatMoney } from '../../lib/number-format.ts';

/** How long a buyer has to pay before the order expires. */
const PAYMENT_WINDOW_MS = 60 * 60_000;
const EXPIRE_EVERY_MS = 60_000;

export interface OrdersModuleDeps extends ModuleBase {
  /** Where reaching `paid` enqueues delivery, inside the paying transaction. */
  jobs: JobSink;
  catalog: Pick<Catalog, 'productTerms' | 'countSale' | 'libraryCards'>;
  /** E-mail: an e-mail buyer's receipt, a copy for a Telegram buyer, the seller's sale notice. */
  notify: Pick<Notify, 'enabled' | 'sendNow' | 'enqueue' | 'saleNotice'>;
}

/**
 * What the delivery jobs send through Telegram: absent parts when the bot is off. Resolved on
 * the first job, after the bot started (its Api carries auto-retry of flood waits).
 */
export type DeliveryChannels = Pick<OrderJobsDeps, 'telegram' | 'sendToTelegram' | 'notifyDelivered'>;

/**
 * Orders: lifecycle, fees, ledger, entitlements, delivery jobs, order tokens. Owns the tables
 * `orders`, `order_events`, `entitlements`, `ledger_entries`, `order_tokens`; asks the catalog
 * for the product.
 */
export function createOrdersModule({ db, clock, logger, config, urls, jobs, catalog, notify }: OrdersModuleDeps) {
  const orders = createOrders({
    db,
    clock,
    jobs,
    feePercent: config.platformFeePercent,
    paymentWindowMs: PAYMENT_WINDOW_MS,
    catalog,
  });
  const tokens = createOrderTokens({ db, clock });
  return {
    orders,
    /** Order tokens: handed out by POST /api/payment and the receipt e-mail. */
    tokens,
    /** The operator's side (admin module): sales figures, buyers, the 30-day chart. */
    operator: { orderStats: createOrderStats({ db }) },
    /** GET /api/orders/{id} by token; the second step, once the files module makes download links. */
    createAccess: (downloadLink: OrderAccessDeps['downloadLink']) =>
      createOrderAccess({ orders, tokens, downloadLink }),
    registerJobs(
      queue: Queue,
      deps: Pick<OrderJobsDeps, 'users' | 'catalog' | 'downloads'> & { channels: () => Promise<DeliveryChannels> },
    ) {
      const { channels, ...rest } = deps;
      const titleOf = (productId: string) => rest.catalog.productFile(productId)?.title;
      // Without SMTP an e-mail buyer is refused before paying; a job meeting one anyway leaves it paid.
      const receipts = notify.enabled
        ? {
            ...createReceipts({
              notify,
              tokens,
              titleOf,
              renewLink: urls.orderDownload,
              linkHours: config.files.downloadLinkTtlMs / 3600_000,
            }),
            enqueue: (orderId: string) =>
              queue.enqueue('deliver-receipt', { orderId }, { uniqueKey: `deliver-receipt:${orderId}` }),
          }
        : undefined;
      const saleEmail: OrderJobsDeps['saleEmail'] = (order, seller, title) => {
        const lang = localeOf(seller.language);
        const amount = formatMoney(lang, order.sellerAmountCents, order.currency);
        return notify.saleNotice({ orderId: order.id, to: seller.email, lang, title, amount });
      };
      let built: Promise<OrderJobs> | undefined;
      const handlers = () =>
        (built ??= channels().then((sent) =>
          createOrderJobs({ logger, orders, ...rest, ...sent, receipts, saleEmail }),
        ));
      queue.register('deliver', async (payload, job) => (await handlers()).deliver(payload, job), DELIVER_JOB);
      queue.register(
        'deliver-receipt',
        async (payload, job) => (await handlers()).deliverReceipt(payload, job),
        RECEIPT_JOB,
      );
      queue.register('notify-sale', async (payload, job) => (await handlers()).notifySale(payload, job));
      queue.register('expire-orders', () => orders.expireDue());
    },
    /** Recurring work, from when the app starts. */
    scheduleJobs: (queue: Queue) => void queue.schedule('expire-orders', EXPIRE_EVERY_MS),
  };
}
