/**
 * The broadcast screens in the bot (in process): compose with /broadcast (the preview is the
 * message itself), choose the audience (the count follows), send; the queue's job sends it, the
 * control message shows the final report; a user who blocked the bot is marked and skipped by
 * the next broadcast; a draft or a running broadcast can be cancelled. The 25/s pacing, 429s and
 * restarts on 2,000 users: tests/modules/admin/broadcast.test.ts.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createTestBot, type TestBot } from '../../support/bot.ts';
import type { TelegramUser } from '../../support/telegram-user.ts';

const ADMIN_ID = 777_301;
let h: TestBot;
let admin: TelegramUser;
beforeAll(() => {
  h = createTestBot({ env: { ADMIN_USER_ID: String(ADMIN_ID) } });
  admin = h.fake.user({ id: ADMIN_ID, language_code: 'en' });
});
afterAll(() => h.stop());

const text = '<b>New:</b> the spring sale starts today';
const got = (user: TelegramUser) => user.messages().filter((m) => m.text === 'New: the spring sale starts today').length;

describe('bot: admin broadcast', () => {
  test('compose, audience with counts, send through the queue, final report; blocked users marked and skipped next time', async () => {
    const fr = [h.fake.user({ language_code: 'fr' }), h.fake.user({ language_code: 'fr' })];
    const en = [h.fake.user({ language_code: 'en' }), h.fake.user({ language_code: 'en' })];
    for (const user of [...fr, ...en]) {
      await user.send('/start');
      await user.waitForMessage(/👋/);
    }
    // Blocked while the bot missed the update: only the broadcast's 403 will tell.
    await en[1]!.block();
    await h.fake.idle();
    h.app.users.setBlockedBot(h.app.users.findByTelegramId(en[1]!.id)!.id, false);

    await admin.send(`/broadcast ${text}`);
    const control = await admin.waitForMessage(/Broadcast #\d+ — audience: everyone, 5 recipient\(s\)/);
    expect(admin.messages().some((m) => m.text === 'New: the spring sale starts today')).toBe(true);
    expect(admin.buttons()).toEqual(['everyone', 'buyers', 'sellers', 'English speakers', 'French speakers', '✅ Send to 5', '✖️ Cancel']);
    await admin.tap('French speakers');
    await admin.waitForMessage(/audience: French speakers, 2 recipient/);
    await admin.tap('English speakers');
    await admin.waitForMessage(/audience: English speakers, 3 recipient/);
    await admin.tap('✅ Send to 3');
    await admin.waitForMessage(/0 \/ 3/);

    await h.app.queue.runDue();
    await h.fake.idle();
    const report = admin.messages().find((m) => m.message_id === control.message_id)!;
    expect(report.text).toMatch(/Broadcast #\d+ finished: sent 2, blocked 1, failed 0, not sent 0 \(of 3\)/);
    expect(en.map(got)).toEqual([1, 0]);
    expect(fr.map(got)).toEqual([0, 0]);
    expect(got(admin)).toBe(2); // the preview, and the broadcast itself (the admin speaks English)
    expect(h.app.users.findByTelegramId(en[1]!.id)!.blockedBot).toBe(true);

    // The next broadcast skips the user who blocked the bot.
    await admin.send(`/broadcast ${text}`);
    await admin.waitForMessage(/everyone, 4 recipient\(s\)/);
    await admin.tap('✖️ Cancel');
    await admin.waitForMessage(/cancelled/);
    expect(h.app.admin.audit.list().slice(0, 2).map((e) => e.action)).toEqual(['broadcast_cancel', 'broadcast']);
  });

  test('a running broadcast is cancelled: nobody else gets it, the report says so', async () => {
    const user = h.fake.user({ language_code: 'fr' });
    await user.send('/start');
    await user.waitForMessage(/👋/);
    const before = admin.messages().length;
    await admin.send('/broadcast Last call');
    await admin.waitForMessage(/audience: everyone/);
    await admin.tap(/✅ Send to/);
    await admin.waitForMessage(/0 \/ /);
    await admin.tap('✖️ Cancel');
    await h.fake.idle();
    await h.app.queue.runDue();
    await h.fake.idle();
    expect(admin.messages().slice(before).filter((m) => /Broadcast #\d+ cancelled: sent 0, blocked 0, failed 0, not sent \d+/.test(m.text ?? ''))).toHaveLength(1);
    expect(user.messages().filter((m) => m.text === 'Last call')).toHaveLength(0);
  });
});
