/**
 * The operator's dashboard and support inbox in the bot (in process): the stats of a period and
 * the 30-day chart (a real PNG); a buyer's ticket in the inbox with their orders, the reply
 * reaching the buyer in the bot, the ticket reopened when the buyer writes again, closed.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createTestBot, type TestBot } from '../../support/bot.ts';
import type { TelegramUser } from '../../support/telegram-user.ts';

const ADMIN_ID = 777_201;
let h: TestBot;
let admin: TelegramUser;
beforeAll(() => {
  h = createTestBot({ env: { ADMIN_USER_ID: String(ADMIN_ID) } });
  admin = h.fake.user({ id: ADMIN_ID, language_code: 'en' });
});
afterAll(() => h.stop());

describe('bot: admin stats', () => {
  test('today and all: orders, revenue, fees, conversion, top course; the chart is a PNG photo', async () => {
    const course = h.product({ title: 'Top seller course' });
    const buyer = h.fake.user();
    await h.own(buyer, course.id, { file: false });
    await h.own(h.fake.user(), course.id, { file: false });
    const unpaid = h.app.users.upsertTelegram({ telegramId: 9_999_001 });
    h.app.orders.create({ buyerId: unpaid.id, productId: course.id, method: 'crypto' });

    await admin.send('/admin');
    await admin.waitForMessage(/Administration/);
    expect(admin.buttons()).toEqual(['📊 Stats', '💬 Support inbox', '💸 Payouts', '📜 Audit log']);
    await admin.tap('📊 Stats');
    const today = await admin.waitForMessage(/Stats — today/);
    expect(today.text).toContain('Orders created: 3 · paid: 2 · conversion: 66.7 %');
    expect(today.text).toContain('Revenue: 98.00 USD');
    expect(today.text).toContain('Top courses: Top seller course (2)');
    expect(admin.buttons()).toEqual(['today', '7d', '30d', 'all', '📈 30-day chart', '🛠 Admin']);
    await admin.tap('all');
    await admin.waitForMessage(/Stats — all/);
    await admin.tap('📈 30-day chart');
    await h.fake.idle();
    const photo = h.fake.lastCall('sendPhoto');
    expect(String(photo.params.chat_id)).toBe(String(ADMIN_ID));
    expect(admin.photos().at(-1)?.sha256).toBeString();
    const stats = h.app.admin.stats.stats('30d');
    expect(stats.daily).toHaveLength(30);
    expect(stats.daily.at(-1)).toMatchObject({ sales: 2, revenue_cents: 9800 });
  });
});

describe('bot: admin support inbox', () => {
  test("a buyer's ticket reaches the inbox with their orders; the reply reaches the buyer; writing again reopens it; close", async () => {
    const course = h.product({ title: 'Inbox course' });
    const buyer = h.fake.user({ language_code: 'fr' });
    const { orderId } = await h.own(buyer, course.id, { file: false });
    await buyer.send('/support My download link has expired, please help');
    await buyer.waitForMessage(/ouvert|open/);
    const ticket = h.app.admin.tickets.list('open')[0]!;

    await admin.send('/admin');
    await admin.waitForMessage(/Administration/);
    await admin.tap('💬 Support inbox');
    const card = await admin.waitForMessage(new RegExp(`Ticket #${ticket.id}`));
    expect(card.text).toContain('My download link has expired, please help');
    expect(card.text).toContain(`${orderId} paid`);

    await admin.send(`/reply ${ticket.id} A new link is on its way.`);
    await admin.waitForMessage(`✉️ Reply sent on ticket #${ticket.id}.`);
    await buyer.waitForMessage(`💬 L’assistance a répondu à votre ticket n° ${ticket.id} :\nA new link is on its way.\nÉcrivez de nouveau /support si besoin.`);
    expect(h.app.admin.tickets.get(ticket.id)).toMatchObject({ status: 'answered', adminReply: 'A new link is on its way.' });

    await buyer.send('/support It still does not work for me');
    await buyer.waitForMessage(/ouvert|open/);
    expect(h.app.admin.tickets.get(ticket.id)).toMatchObject({ status: 'open', message: 'My download link has expired, please help\n\n» It still does not work for me' });
    expect(h.app.admin.tickets.list('open').filter((t) => t.userId === ticket.userId)).toHaveLength(1);

    await admin.tap('💬 Support inbox');
    await admin.waitForMessage(/It still does not work/);
    await admin.tap(`✅ Close #${ticket.id}`);
    await admin.waitForMessage(`✅ Ticket #${ticket.id} closed.`);
    expect(h.app.admin.tickets.get(ticket.id).status).toBe('closed');
    expect(h.app.admin.audit.list().slice(0, 2).map((e) => e.action)).toEqual(['ticket_close', 'ticket_reply']);
  });
});
