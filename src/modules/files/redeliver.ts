import { AppError } from '../../lib/errors.ts';
import type { Logger } from '../../lib/logger.ts';
import { localeOf } from '../../locales/index.ts';
import type { Catalog } from '../catalog/service.ts';
import type { Orders } from '../orders/service.ts';
import type { Downloads } from './downloads.ts';
import { BotBlockedError, type DeliveryMethod, type TelegramDelivery } from './telegram-delivery.ts';

export interface RedeliveryDeps {
  catalog: Pick<Catalog, 'productFile'>;
  downloads: Pick<Downloads, 'createDownloadLink'>;
  orders: Pick<Orders, 'owns'>;
  /** The Telegram delivery over the bot's API, looked up when sending; undefined while the bot is off. */
  telegram: () => Pick<TelegramDelivery, 'deliverFile'> | undefined;
  logger: Logger;
}

/** Who gets the file: the buyer, with their Telegram chat when they have one. */
export interface Recipient {
  id: number;
  telegramId: number | null;
  language: string | null;
}

/** Why a purchased file cannot be sent: the buyer does not own the course, or it has no file yet. */
export type NotRedeliverable = { ok: false; reason: 'not_owned' | 'no_file' };

export type Redelivered =
  | { ok: true; via: 'telegram'; method: DeliveryMethod; messageId: number }
  /** `telegramFailed`: Telegram would not take the file; the buyer is to be handed this link instead. */
  | { ok: true; via: 'download_link'; url: string; expiresAt: number; telegramFailed?: true };

export interface RedeliverOptions {
  /**
   * When Telegram will not take the file, hand back a fresh signed link rather than the error
   * ("download again", where the buyer waits for an answer). The deliver job leaves this off:
   * it tries again later.
   */
  linkOnTelegramFailure?: boolean;
}

/**
 * Sending a purchased course, after payment (the deliver job) or again from the library: in
 * the buyer's Telegram chat when they have one and the bot runs (a cached file_id, an upload,
 * or a link for files too big for Telegram), else as a signed, expiring download link.
 */
export function createRedelivery({ catalog, downloads, orders, telegram, logger }: RedeliveryDeps) {
  const log = logger.child({ component: 'redelivery' });

  /** The course's file if the buyer may have it sent. */
  function check(buyerId: number, productId: string) {
    if (!orders.owns(buyerId, productId)) return { ok: false, reason: 'not_owned' } as const;
    const product = catalog.productFile(productId);
    if (!product?.file) return { ok: false, reason: 'no_file' } as const;
    return { ok: true, product: { ...product, file: product.file } } as const;
  }

  /** Whether `redeliver` can send the course to this buyer (cheap: reads two rows). */
  function redeliverable(buyerId: number, productId: string): { ok: true } | NotRedeliverable {
    const checked = check(buyerId, productId);
    return checked.ok ? { ok: true } : checked;
  }

  /**
   * Throws BotBlockedError when the buyer blocked the bot (nobody to hand a link to either),
   * and AppError when no link can be made (no PUBLIC_URL); with `linkOnTelegramFailure` that
   * is thrown only when Telegram failed too, and then Telegram's error is the one thrown.
   */
  async function redeliver(
    recipient: Recipient,
    productId: string,
    { linkOnTelegramFailure = false }: RedeliverOptions = {},
  ): Promise<Redelivered | NotRedeliverable> {
    const checked = check(recipient.id, productId);
    if (!checked.ok) return checked;
    const { product } = checked;
    const link = () => downloads.createDownloadLink(recipient.id, product.id);
    const viaTelegram = recipient.telegramId === null ? undefined : telegram();
    if (recipient.telegramId === null || !viaTelegram) {
      const { url, expiresAt } = link();
      return { ok: true, via: 'download_link', url, expiresAt };
    }
    try {
      const sent = await viaTelegram.deliverFile({
        chatId: recipient.telegramId,
        file: product.file,
        title: product.title,
        language: localeOf(recipient.language),
        downloadUrl: () => link().url,
      });
      return { ok: true, via: 'telegram', ...sent };
    } catch (error) {
      if (!linkOnTelegramFailure || error instanceof BotBlockedError) throw error;
      log.warn(
        { err: error, chatId: recipient.telegramId, fileId: product.file.id },
        'sending a purchased file again failed',
      );
      try {
        const { url, expiresAt } = link();
        return { ok: true, via: 'download_link', url, expiresAt, telegramFailed: true };
      } catch (linkError) {
        if (linkError instanceof AppError) throw error;
        throw linkError;
      }
    }
  }

  return { redeliverable, redeliver };
}

export type Redelivery = ReturnType<typeof createRedelivery>;
