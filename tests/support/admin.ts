/**
 * The operator's bot tests: a test bot whose ADMIN_USER_ID is `adminId`, with that admin as a
 * simulated Telegram user (made before every test of the file, stopped after).
 */
import { afterAll, beforeAll } from 'bun:test';
import { createTestBot, type TestBot } from './bot.ts';
import type { TelegramUser } from './telegram-user.ts';

export interface AdminBot {
  h: TestBot;
  admin: TelegramUser;
}

export function useAdminBot(adminId: number, extraAdmins: number[] = []): AdminBot {
  const kit = {} as AdminBot;
  beforeAll(() => {
    kit.h = createTestBot({ env: { ADMIN_USER_ID: [adminId, ...extraAdmins].join(',') } });
    kit.admin = kit.h.fake.user({ id: adminId, language_code: 'en' });
  });
  afterAll(() => kit.h.stop());
  return kit;
}

/** Links a seller account to a Telegram user, as the sellers' onboarding does (to be told things). */
export function linkSeller(h: TestBot, sellerId: number, user: TelegramUser): void {
  const row = h.app.users.upsertTelegram({ telegramId: user.id, languageCode: user.user.language_code });
  h.app.store.sqlite.run('UPDATE sellers SET user_id = ? WHERE id = ?', [row.id, sellerId]);
}

/** A valid Ethereum payout address (EIP-55 checksummed). */
export const ETH_ADDRESS = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed';

/**
 * A seller of Telegram user `telegramId`, paid out on ETH, whose course of 100.00 was bought
 * twice: money to ask a payout of.
 */
export async function sellerWithSales(h: TestBot, telegramId: number, name: string, title: string) {
  const user = h.app.users.upsertTelegram({ telegramId, languageCode: 'en' });
  const seller = h.app.sellers.profiles.register(user.id, {
    display_name: name,
    payout_network: 'ETH',
    payout_address: ETH_ADDRESS,
  });
  const course = h.product({ title, price_cents: 10_000 } as never);
  h.app.store.sqlite.run('UPDATE products SET seller_id = ? WHERE id = ?', [seller.id, course.id]);
  for (let i = 0; i < 2; i++) await h.own(h.fake.user(), course.id, { file: false });
  return seller;
}
