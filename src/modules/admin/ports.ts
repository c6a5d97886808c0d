import { AppError } from '../../lib/errors.ts';
import type { BroadcastSenderPorts } from './broadcast-send.ts';

/**
 * What the admin services need from the outside world, handed over by the Telegram face (app/telegram.ts): telling a user
 * something in their own language (the bot renders `key` from src/locales), and Telegram's
 * refundStarPayment, and sending broadcasts (all absent without TELEGRAM_TOKEN).
 */
export type NotifyUser = (userId: number, key: string, args?: Record<string, string | number>) => Promise<void>;

export type RefundStars = (telegramUserId: number, chargeId: string) => Promise<unknown>;

export interface AdminPorts {
  /** Sending a broadcast's messages and showing its progress (the bot's API). */
  broadcast?: BroadcastSenderPorts;
  notify?: NotifyUser;
  refundStars?: RefundStars;
}

/** Telling people is best effort: the action is committed already; a blocked bot loses nothing. */
export async function tell(
  ports: AdminPorts,
  userId: number | undefined | null,
  key: string,
  args?: Record<string, string | number>,
) {
  if (userId === undefined || userId === null || !ports.notify) return false;
  try {
    await ports.notify(userId, key, args);
    return true;
  } catch {
    return false;
  }
}

/**
 * Gives a Telegram Stars charge back. Telegram first: when it refuses, the caller books nothing.
 * A charge refunded already (a retry after a crash between the call and the commit) counts as
 * given back, so that the retry books it.
 */
export async function giveStarsBack(ports: AdminPorts, telegramUserId: number, chargeId: string): Promise<void> {
  if (!ports.refundStars) throw new AppError('unavailable', 'Stars refunds need the bot (TELEGRAM_TOKEN)');
  await ports.refundStars(telegramUserId, chargeId).catch((error: unknown) => {
    if (!String(error).includes('CHARGE_ALREADY_REFUNDED'))
      throw new AppError('unavailable', `Telegram refused the refund: ${String(error)}`);
  });
}
