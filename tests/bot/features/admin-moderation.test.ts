/**
 * The operator's moderation in the bot (in process): a course taken down (seller told, buyers
 * keep it, gone from the catalog at once) and restored; a seller suspended (their courses leave)
 * and restored; a user banned (ignored but for /start, which says why) and unbanned.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createTestBot, type TestBot } from '../../support/bot.ts';
import type { TelegramUser } from '../../support/telegram-user.ts';

const ADMIN_ID = 777_101;
let h: TestBot;
let admin: TelegramUser;
beforeAll(() => {
  h = createTestBot({ env: { ADMIN_USER_ID: String(ADMIN_ID) } });
  admin = h.fake.user({ id: ADMIN_ID, language_code: 'en' });
});
afterAll(() => h.stop());

const listed = (q?: string) => h.app.catalog.listProducts({ q, limit: 50 } as never).items.map((p) => p.id);
function sellerAccount(sellerId: number, user: TelegramUser) {
  const row = h.app.users.upsertTelegram({ telegramId: user.id, languageCode: user.user.language_code });
  h.app.store.sqlite.run('UPDATE sellers SET user_id = ? WHERE id = ?', [row.id, sellerId]);
}

describe('bot: admin moderation', () => {
  test('take-down with a reason: gone from lists and search at once, the seller told, the buyer keeps it; restore brings it back', async () => {
    const course = await h.course({ title: 'Questionable trading', seller: 'Mod Seller' });
    const seller = h.fake.user({ language_code: 'fr' });
    sellerAccount(course.seller_id, seller);
    const buyer = h.fake.user();
    const { buyerId } = await h.own(buyer, course.id);
    expect(listed('questionable')).toEqual([course.id]);

    await admin.send(`/takedown ${course.id}`);
    await admin.waitForMessage(/invalid|reason is required/);
    await admin.send(`/takedown ${course.id} copied from another author`);
    await admin.waitForMessage('🚫 “Questionable trading” taken down.');
    await seller.waitForMessage('🚫 Votre cours « Questionable trading » a été retiré par la boutique. Motif : copied from another author. Les acheteurs gardent leur accès.');
    expect(listed()).not.toContain(course.id);
    expect(listed('questionable')).toEqual([]);
    expect(h.app.orders.owns(buyerId, course.id)).toBe(true);

    await admin.send(`/restore ${course.id}`);
    await admin.waitForMessage('✅ “Questionable trading” is back in the catalog.');
    expect(listed('questionable')).toEqual([course.id]);
    expect(h.app.admin.audit.list().slice(0, 2).map((e) => [e.action, e.target, e.reason])).toEqual([
      ['restore_product', `product:${course.id}`, null],
      ['take_down', `product:${course.id}`, 'copied from another author'],
    ]);
  });

  test('suspending a seller hides all their courses and tells them; restoring shows those again', async () => {
    const a = h.product({ title: 'Suspended one', seller: 'Shady Shop' });
    const b = h.product({ title: 'Suspended two', seller: 'Shady Shop' });
    const seller = h.fake.user({ language_code: 'en' });
    sellerAccount(a.seller_id, seller);
    await admin.send(`/suspend ${a.seller_id} fake reviews`);
    await admin.waitForMessage(`⛔ Seller ${a.seller_id} suspended; 2 course(s) left the catalog.`);
    await seller.waitForMessage(/Your seller account is suspended\. Reason: fake reviews/);
    expect(listed('suspended')).toEqual([]);
    await admin.send(`/unsuspend ${a.seller_id}`);
    await admin.waitForMessage(`✅ Seller ${a.seller_id} restored; 2 course(s) back in the catalog.`);
    expect(listed('suspended').sort()).toEqual([a.id, b.id].sort());
  });

  test('a banned user is ignored but for /start, which tells why; unbanned, they are told and answered again', async () => {
    const user = h.fake.user({ language_code: 'fr' });
    await user.send('/start');
    await user.waitForMessage(/👋/);
    const id = h.app.users.findByTelegramId(user.id)!.id;
    await admin.send(`/ban ${id} spam in reviews`);
    await admin.waitForMessage(`🔨 User ${id} banned.`);
    const before = user.messages().length;
    await user.send('/help');
    await user.send('bitcoin');
    await h.fake.idle();
    expect(user.messages()).toHaveLength(before);
    await user.send('/start');
    await user.waitForMessage('⛔ Votre accès à ce bot a été suspendu. Motif : spam in reviews');
    await admin.send(`/unban ${id}`);
    await admin.waitForMessage(`✅ User ${id} unbanned.`);
    expect(user.messages().some((m) => m.text === '✅ Vous pouvez de nouveau utiliser le bot.')).toBe(true);
    await user.send('/help');
    await user.waitForMessage(/./);
  });
});
