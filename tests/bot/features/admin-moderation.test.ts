/**
 * The operator's moderation in the bot (in process): a course taken down (seller told, buyers
 * keep it, gone from the catalog at once) and restored; a seller suspended (their courses leave)
 * and restored; a user banned (ignored but for /start, which says why) and unbanned.
 */
import { describe, expect, test } from 'bun:test';
import { linkSeller, useAdminBot } from '../../support/admin.ts';

const ADMIN_ID = 777_101;
const kit = useAdminBot(ADMIN_ID);

const listed = (q?: string) => kit.h.app.catalog.listProducts({ q, limit: 50 } as never).items.map((p) => p.id);

describe('bot: admin moderation', () => {
  test('take-down with a reason: gone from lists and search at once, the seller told, the buyer keeps it; restore brings it back', async () => {
    const course = await kit.h.course({ title: 'Questionable trading', seller: 'Mod Seller' });
    const seller = kit.h.fake.user({ language_code: 'fr' });
    linkSeller(kit.h, course.seller_id, seller);
    const buyer = kit.h.fake.user();
    const { buyerId } = await kit.h.own(buyer, course.id);
    expect(listed('questionable')).toEqual([course.id]);

    await kit.admin.send(`/takedown ${course.id}`);
    await kit.admin.waitForMessage(/invalid|reason is required/);
    await kit.admin.send(`/takedown ${course.id} copied from another author`);
    await kit.admin.waitForMessage('🚫 “Questionable trading” taken down.');
    await seller.waitForMessage(
      '🚫 Votre cours « Questionable trading » a été retiré par la boutique. Motif : copied from another author. Les acheteurs gardent leur accès.',
    );
    expect(listed()).not.toContain(course.id);
    expect(listed('questionable')).toEqual([]);
    expect(kit.h.app.orders.owns(buyerId, course.id)).toBe(true);

    await kit.admin.send(`/restore ${course.id}`);
    await kit.admin.waitForMessage('✅ “Questionable trading” is back in the catalog.');
    expect(listed('questionable')).toEqual([course.id]);
    expect(
      kit.h.app.admin.audit
        .list()
        .slice(0, 2)
        .map((e) => [e.action, e.target, e.reason]),
    ).toEqual([
      ['restore_product', `product:${course.id}`, null],
      ['take_down', `product:${course.id}`, 'copied from another author'],
    ]);
  });

  test('suspending a seller hides all their courses and tells them; restoring shows those again', async () => {
    const a = kit.h.product({ title: 'Suspended one', seller: 'Shady Shop' });
    const b = kit.h.product({ title: 'Suspended two', seller: 'Shady Shop' });
    const seller = kit.h.fake.user({ language_code: 'en' });
    linkSeller(kit.h, a.seller_id, seller);
    await kit.admin.send(`/suspend ${a.seller_id} fake reviews`);
    await kit.admin.waitForMessage(`⛔ Seller ${a.seller_id} suspended; 2 course(s) left the catalog.`);
    await seller.waitForMessage(/Your seller account is suspended\. Reason: fake reviews/);
    expect(listed('suspended')).toEqual([]);
    await kit.admin.send(`/unsuspend ${a.seller_id}`);
    await kit.admin.waitForMessage(`✅ Seller ${a.seller_id} restored; 2 course(s) back in the catalog.`);
    expect(listed('suspended').sort()).toEqual([a.id, b.id].sort());
  });

  test('a banned user is ignored but for /start, which tells why; unbanned, they are told and answered again', async () => {
    const user = kit.h.fake.user({ language_code: 'fr' });
    await user.send('/start');
    await user.waitForMessage(/👋/);
    const id = kit.h.app.users.findByTelegramId(user.id)!.id;
    await kit.admin.send(`/ban ${id} spam in reviews`);
    await kit.admin.waitForMessage(`🔨 User ${id} banned.`);
    const before = user.messages().length;
    await user.send('/help');
    await user.send('bitcoin');
    await kit.h.fake.idle();
    expect(user.messages()).toHaveLength(before);
    await user.send('/start');
    await user.waitForMessage('⛔ Votre accès à ce bot a été suspendu. Motif : spam in reviews');
    await kit.admin.send(`/unban ${id}`);
    await kit.admin.waitForMessage(`✅ User ${id} unbanned.`);
    expect(user.messages().some((m) => m.text === '✅ Vous pouvez de nouveau utiliser le bot.')).toBe(true);
    await user.send('/help');
    await user.waitForMessage(/./);
  });
});
