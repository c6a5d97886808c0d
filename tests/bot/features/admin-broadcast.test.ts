/**
 * The broadcast screens in the bot (in process): compose with /broadcast (the preview is the
 * message itself), choose the audience (the count follows), send; the queue's job sends it, the
 * control message shows the final report; a user who blocked the bot is marked and skipped by
 * the next broadcast; a draft or a running broadcast can be cancelled. The 25/s pacing, 429s and
 * restarts on 2,000 users: tests/modules/admin/broadcast.test.ts.
 */
import { describe, expect, test } from 'bun:test';
import { linkSeller, useAdminBot } from '../../support/admin.ts';
import type { TelegramUser } from '../../support/telegram-user.ts';

const ADMIN_ID = 777_301;
const kit = useAdminBot(ADMIN_ID);

const text = '<b>New:</b> the spring sale starts today';
const got = (user: TelegramUser) =>
  user.messages().filter((m) => m.text === 'New: the spring sale starts today').length;

describe('bot: admin broadcast', () => {
  test('compose, audience with counts, send through the queue, final report; blocked users marked and skipped next time', async () => {
    const fr = [kit.h.fake.user({ language_code: 'fr' }), kit.h.fake.user({ language_code: 'fr' })];
    const en = [kit.h.fake.user({ language_code: 'en' }), kit.h.fake.user({ language_code: 'en' })];
    for (const user of [...fr, ...en]) {
      await user.send('/start');
      await user.waitForMessage(/👋/);
    }
    // Blocked while the bot missed the update: only the broadcast's 403 will tell.
    await en[1]!.block();
    await kit.h.fake.idle();
    kit.h.app.users.setBlockedBot(kit.h.app.users.findByTelegramId(en[1]!.id)!.id, false);

    await kit.admin.send(`/broadcast ${text}`);
    const control = await kit.admin.waitForMessage(/Broadcast #\d+ — audience: everyone, 5 recipient\(s\)/);
    expect(kit.admin.messages().some((m) => m.text === 'New: the spring sale starts today')).toBe(true);
    expect(kit.admin.buttons()).toEqual([
      'everyone',
      'buyers',
      'sellers',
      'English speakers',
      'French speakers',
      '✅ Send to 5',
      '✖️ Cancel',
    ]);
    // Sellers: the people behind seller accounts (one here, linked to a French speaker).
    linkSeller(kit.h, kit.h.product({ seller: 'Broadcast Seller' }).seller_id, fr[0]!);
    await kit.admin.tap('sellers');
    await kit.admin.waitForMessage(/audience: sellers, 1 recipient/);
    await kit.admin.tap('French speakers');
    await kit.admin.waitForMessage(/audience: French speakers, 2 recipient/);
    await kit.admin.tap('English speakers');
    await kit.admin.waitForMessage(/audience: English speakers, 3 recipient/);
    await kit.admin.tap('✅ Send to 3');
    await kit.admin.waitForMessage(/0 \/ 3/);

    await kit.h.app.queue.runDue();
    await kit.h.fake.idle();
    const report = kit.admin.messages().find((m) => m.message_id === control.message_id)!;
    expect(report.text).toMatch(/Broadcast #\d+ finished: sent 2, blocked 1, failed 0, not sent 0 \(of 3\)/);
    expect(en.map(got)).toEqual([1, 0]);
    expect(fr.map(got)).toEqual([0, 0]);
    expect(got(kit.admin)).toBe(2); // the preview, and the broadcast itself (the admin speaks English)
    expect(kit.h.app.users.findByTelegramId(en[1]!.id)!.blockedBot).toBe(true);

    // The next broadcast skips the user who blocked the bot.
    await kit.admin.send(`/broadcast ${text}`);
    await kit.admin.waitForMessage(/everyone, 4 recipient\(s\)/);
    await kit.admin.tap('✖️ Cancel');
    await kit.admin.waitForMessage(/cancelled/);
    expect(
      kit.h.app.admin.audit
        .list()
        .slice(0, 2)
        .map((e) => e.action),
    ).toEqual(['broadcast_cancel', 'broadcast']);
  });

  test('a running broadcast is cancelled: nobody else gets it, the report says so', async () => {
    const user = kit.h.fake.user({ language_code: 'fr' });
    await user.send('/start');
    await user.waitForMessage(/👋/);
    const before = kit.admin.messages().length;
    await kit.admin.send('/broadcast Last call');
    await kit.admin.waitForMessage(/audience: everyone/);
    await kit.admin.tap(/✅ Send to/);
    await kit.admin.waitForMessage(/0 \/ /);
    await kit.admin.tap('✖️ Cancel');
    await kit.h.fake.idle();
    await kit.h.app.queue.runDue();
    await kit.h.fake.idle();
    expect(
      kit.admin
        .messages()
        .slice(before)
        .filter((m) => /Broadcast #\d+ cancelled: sent 0, blocked 0, failed 0, not sent \d+/.test(m.text ?? '')),
    ).toHaveLength(1);
    expect(user.messages().filter((m) => m.text === 'Last call')).toHaveLength(0);
  });
});
