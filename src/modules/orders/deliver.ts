import { AppError } from '../../lib/errors.ts';
import type { Logger } from '../../lib/logger.ts';
import { MailError } from '../../lib/mailer.ts';
import { formatMoney } from '../../lib/number-format.ts';
import { PermanentJobError, type JobHandler } from '../../lib/queue.ts';
import { telegramRefused } from '../../lib/telegram.ts';
import { localeOf, translate, type Locale } from '../../locales/index.ts';
import type { Catalog } from '../catalog/service.ts';
import type { Downloads } from '../files/downloads.ts';
import { createRedelivery } from '../files/redeliver.ts';
import { BotBlockedError, type DeliveryResult, type TelegramDelivery } from '../files/telegram-delivery.ts';
import type { UserRow, Users } from '../users/service.ts';
import type { OrderRow, Orders } from './service.ts';

export { DELIVER_JOB, RECEIPT_JOB } from './job-options.ts';

/** How the buyer got the course: in their Telegram chat, or as a download link (API / e-mail buyers). */
export type DeliveryOutcome =
  | ({ via: 'telegram' } & DeliveryResult)
  | { via: 'download_link'; url: string; expiresAt: number };

export type NotifyDelivered = (order: OrderRow, buyer: UserRow, outcome: DeliveryOutcome) => unknown;

export interface OrderJobsDeps {
  logger: Logger;
  orders: Pick<Orders, 'get' | 'transition' | 'owns'>;
  users: Pick<Users, 'get' | 'setBlockedBot' | 'sellerUser' | 'sellerEmail'>;
  catalog: Pick<Catalog, 'productFile'>;
  downloads: Pick<Downloads, 'createDownloadLink'>;
  /** The files module's Telegram delivery; absent when the bot is off (no TELEGRAM_TOKEN). */
  telegram?: Pick<TelegramDelivery, 'deliverFile'>;
  /**
   * The sale notice to the seller, in their language (the bot adds a dashboard button); lib/telegram's
   * refusals arrive as TelegramApiError. Absent when the bot is off.
   */
  sendToTelegram?: (chatId: number, text: string, language: Locale) => Promise<unknown>;
  /** Called once an order is delivered (the bot's thank-you with a "leave a review" button). */
  notifyDelivered?: NotifyDelivered;
  /**
   * The notify module's receipts; absent without SMTP. `send` resolves once the SMTP
   * server accepted the e-mail; `queue` sends a copy to a Telegram buyer who gave an address.
   */
  receipts?: {
    /** Queues RECEIPT_JOB for the order (one per order). */
    enqueue(orderId: string): unknown;
    send(order: OrderRow, buyer: UserRow, link: { url: string }): Promise<void>;
    queue(order: OrderRow, buyer: UserRow, link: { url: string }): unknown;
  };
  /** Queues the seller's sale e-mail (the notify module); called when the seller has an address. */
  saleEmail?: (order: OrderRow, seller: { email: string; language: string | null }, title: string) => unknown;
}

function orderIdOf(payload: unknown): string {
  const orderId = (payload as { orderId?: unknown } | null)?.orderId;
  if (typeof orderId !== 'string' || orderId === '') throw new PermanentJobError('the job payload has no orderId');
  return orderId;
}

/** What the seller reads on a sale, in their language (text `sale-notice` of src/locales/). */
export function saleText(lang: 'fr' | 'en', title: string, amountCents: number, currency: string): string {
  const amount = formatMoney(lang, amountCents, currency);
  return translate(lang, 'sale-notice', { title, amount });
}

/**
 * Handlers of the `deliver` and `notify-sale` jobs that reaching `paid` enqueues. The queue runs
 * a job at least once; `deliver` is idempotent by the order's state (a delivered order is left
 * alone) and moves the order to `delivered` only after the file went out. How the file goes
 * out is the files module's redelivery, the same as "download again" in the bot.
 */
export function createOrderJobs(deps: OrderJobsDeps) {
  const { orders, users, catalog, sendToTelegram, notifyDelivered } = deps;
  const log = deps.logger.child({ component: 'order-jobs' });
  const redelivery = createRedelivery({ ...deps, telegram: () => deps.telegram });

  function load(payload: unknown): OrderRow {
    const orderId = orderIdOf(payload);
    try {
      return orders.get(orderId);
    } catch (error) {
      if (error instanceof AppError && error.code === 'not_found')
        throw new PermanentJobError(`order ${orderId} does not exist`);
      throw error;
    }
  }

  /** No PUBLIC_URL (or a withdrawn purchase) cannot be fixed by trying again. */
  function send(buyer: UserRow, order: OrderRow) {
    return redelivery.redeliver(buyer, order.productId).catch((error: unknown) => {
      if (error instanceof AppError) {
        const hint = error.code === 'unavailable' ? ' (set PUBLIC_URL)' : '';
        throw new PermanentJobError(`no download link: ${error.message}${hint}`, { cause: error });
      }
      if (error instanceof BotBlockedError) {
        // The order stays `paid` (undelivered, listed for the admin); retrying cannot help.
        users.setBlockedBot(buyer.id, true);
        log.warn({ orderId: order.id, userId: buyer.id }, 'buyer blocked the bot; order left undelivered');
      }
      throw error;
    });
  }

  /** The link of a copy receipt: the one just made, or a new one when the file went through Telegram. */
  function downloadLinkFor(buyer: UserRow, order: OrderRow, outcome: DeliveryOutcome) {
    return outcome.via === 'download_link' ? outcome : deps.downloads.createDownloadLink(buyer.id, order.productId);
  }

  const deliver: JobHandler<unknown> = async (payload) => {
    const order = load(payload);
    if (order.status === 'delivered') return;
    if (order.status !== 'paid')
      throw new PermanentJobError(`order ${order.id} is ${order.status}, not paid: nothing to deliver`);
    const buyer = users.get(order.buyerId);
    const sent = await send(buyer, order);
    if (!sent.ok) {
      throw new PermanentJobError(
        sent.reason === 'no_file' ? 'product has no file yet' : 'the buyer does not own the course',
      );
    }
    const outcome: DeliveryOutcome =
      sent.via === 'telegram'
        ? { via: 'telegram', method: sent.method, messageId: sent.messageId }
        : { via: 'download_link', url: sent.url, expiresAt: sent.expiresAt };
    const byEmail = buyer.telegramId === null && buyer.email !== null;
    if (byEmail) {
      // An e-mail buyer has the link only through the receipt: delivered means the SMTP server
      // accepted it, which its own job (RECEIPT_JOB, long retries) waits for. The order stays paid.
      if (!deps.receipts)
        throw new PermanentJobError('e-mail delivery is not configured (SMTP_SERVER): order left paid');
      deps.receipts.enqueue(order.id);
      return;
    }
    const reason = outcome.via === 'telegram' ? `sent in Telegram (${outcome.method})` : 'download link available';
    orders.transition(order.id, { to: 'delivered', actor: 'deliver-job', reason });
    if (buyer.email) {
      try {
        deps.receipts?.queue(order, buyer, downloadLinkFor(buyer, order, outcome));
      } catch (error) {
        log.warn({ err: error, orderId: order.id }, 'delivered, but the e-mailed receipt could not be queued');
      }
    }
    try {
      // After the transition: a failed thank-you must never send the file a second time.
      await notifyDelivered?.(orders.get(order.id), buyer, outcome);
    } catch (error) {
      log.warn({ err: error, orderId: order.id }, 'delivered, but the delivery notice failed');
    }
  };

  /**
   * RECEIPT_JOB: an e-mail buyer's receipt, then `delivered`. A fresh link at each attempt (a
   * server down for hours must not e-mail an expired one). A server refusing for now throws and
   * the job retries; a refusal for good (550, no such mailbox) ends it dead and alerts the admin.
   */
  const deliverReceipt: JobHandler<unknown> = async (payload) => {
    const order = load(payload);
    if (order.status === 'delivered') return;
    if (order.status !== 'paid')
      throw new PermanentJobError(`order ${order.id} is ${order.status}, not paid: no receipt`);
    if (!deps.receipts) throw new PermanentJobError('e-mail delivery is not configured (SMTP_SERVER): order left paid');
    const buyer = users.get(order.buyerId);
    const sent = await send(buyer, order);
    if (!sent.ok || sent.via !== 'download_link') throw new PermanentJobError(`no download link for order ${order.id}`);
    try {
      await deps.receipts.send(order, buyer, sent);
    } catch (error) {
      if (error instanceof MailError && error.permanent)
        throw new PermanentJobError(`receipt refused: ${error.message}`, { cause: error });
      throw error;
    }
    orders.transition(order.id, {
      to: 'delivered',
      actor: 'deliver-job',
      reason: 'receipt e-mailed with a download link',
    });
    try {
      await notifyDelivered?.(orders.get(order.id), buyer, {
        via: 'download_link',
        url: sent.url,
        expiresAt: sent.expiresAt,
      });
    } catch (error) {
      log.warn({ err: error, orderId: order.id }, 'delivered, but the delivery notice failed');
    }
  };

  const notifySale: JobHandler<unknown> = async (payload) => {
    const order = load(payload);
    const seller = users.sellerUser(order.sellerId);
    const email = users.sellerEmail(order.sellerId);
    if (email)
      deps.saleEmail?.(
        order,
        { email, language: seller?.language ?? null },
        catalog.productFile(order.productId)?.title ?? order.productId,
      );
    if (!sendToTelegram || seller?.telegramId == null) {
      log.debug({ orderId: order.id, sellerId: order.sellerId }, 'sale notice skipped: no Telegram for this seller');
      return;
    }
    const title = catalog.productFile(order.productId)?.title ?? order.productId;
    try {
      const language = localeOf(seller.language);
      await sendToTelegram(
        seller.telegramId,
        saleText(language, title, order.sellerAmountCents, order.currency),
        language,
      );
    } catch (error) {
      if (!telegramRefused(error, 'blocked')) throw error;
      users.setBlockedBot(seller.id, true);
      log.info({ orderId: order.id, sellerId: order.sellerId }, 'sale notice not sent: the seller blocked the bot');
    }
  };

  return { deliver, deliverReceipt, notifySale };
}

export type OrderJobs = ReturnType<typeof createOrderJobs>;
