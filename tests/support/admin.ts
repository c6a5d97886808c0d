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
