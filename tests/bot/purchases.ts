import { dirname } from 'node:path';
import { attachCourseFile, type CourseFile } from '../support/course-file.ts';
import type { TelegramUser } from '../support/telegram-user.ts';
import { eventually, type BotHarness } from './harness.ts';

export interface Owned {
  buyerId: number;
  orderId: string;
  /** The course file, when the product got one. */
  file?: CourseFile;
}

/**
 * Makes a Telegram user own a product the way a payment does: an order moved to `paid` through
 * the orders service (entitlement, ledger, deliver job). With a file (the default) the course
 * is attached first and the delivery is awaited, so the user already holds one copy.
 */
export async function own(h: BotHarness, user: TelegramUser, productId: string, { file = true } = {}): Promise<Owned> {
  const buyer = h.app.users.upsertTelegram({
    telegramId: user.id,
    firstName: user.user.first_name,
    languageCode: user.user.language_code,
  });
  const sqlite = h.app.store.sqlite;
  const course = file ? await attachCourseFile(dirname(sqlite.filename), sqlite, productId) : undefined;
  const { order } = h.app.orders.create({ buyerId: buyer.id, productId, method: 'crypto' });
  h.app.orders.transition(order.id, { to: 'paid', actor: 'test' });
  if (course) await eventually(() => h.app.orders.get(order.id).status === 'delivered', `delivery of ${order.id}`);
  return { buyerId: buyer.id, orderId: order.id, file: course };
}
