/**
 * The operator's dashboard and support inbox in the bot (in process): the stats of a period and
 * the 30-day chart (a real PNG); a buyer's ticket in the inbox with their orders, the reply
 * reaching the buyer in the bot, the ticket reopened when the buyer writes again, closed.
 */
import { describe, expect, test } from 'bun:test';
import { useAdminBot } from '../../support/admin.ts';

const ADMIN_ID = 777_201;
const kit = useAdminBot(ADMIN_ID);

describe('bot: admin stats', () => {
  test('today and all: orders, revenue, fees, conversion, top course; the chart is a PNG photo', async () => {
    const course = kit.h.product({ title: 'Top seller course' });
    const buyer = kit.h.fake.user();
    await kit.h.own(buyer, course.id, { file: false });
    await kit.h.own(kit.h.fake.user(), course.id, { file: false });
    const unpaid = kit.h.app.users.upsertTelegram({ telegramId: 9_999_001 });
    kit.h.app.orders.create({ buyerId: unpaid.id, productId: course.id, method: 'crypto' });

    await kit.admin.send('/admin');
    await kit.admin.waitForMessage(/Administration/);
    expect(kit.admin.buttons()).toContain('📊 Stats'); // the whole menu: admin.test.ts
    await kit.admin.tap('📊 Stats');
    const today = await kit.admin.waitForMessage(/Stats — today/);
    expect(today.text).toContain('Orders created: 3 · paid: 2 · conversion: 66.7 %');
    expect(today.text).toContain('Revenue: 98.00 USD');
    expect(today.text).toContain('Top courses: Top seller course (2)');
    expect(kit.admin.buttons()).toEqual(['today', '7d', '30d', 'all', '📈 30-day chart', '🛠 Admin']);
    await kit.admin.tap('all');
    await kit.admin.waitForMessage(/Stats — all/);
    await kit.admin.tap('📈 30-day chart');
    await kit.h.fake.idle();
    const photo = kit.h.fake.lastCall('sendPhoto');
    expect(String(photo.params.chat_id)).toBe(String(ADMIN_ID));
    expect(kit.admin.photos().at(-1)?.sha256).toBeString();
    const stats = kit.h.app.admin.stats.stats('30d');
    expect(stats.daily).toHaveLength(30);
    expect(stats.daily.at(-1)).toMatchObject({ sales: 2, revenue_cents: 9800 });
  });
});

describe('bot: admin support inbox', () => {
  test("a buyer's ticket reaches the inbox with their orders; the reply reaches the buyer; writing again reopens it; close", async () => {
    const course = kit.h.product({ title: 'Inbox course' });
    const buyer = kit.h.fake.user({ language_code: 'fr' });
    const { orderId } = await kit.h.own(buyer, course.id, { file: false });
    await buyer.send('/support My download link has expired, please help');
    await buyer.waitForMessage(/ouvert|open/);
    const ticket = kit.h.app.admin.tickets.list('open')[0]!;

    await kit.admin.send('/admin');
    await kit.admin.waitForMessage(/Administration/);
    await kit.admin.tap('💬 Support inbox');
    const card = await kit.admin.waitForMessage(new RegExp(`Ticket #${ticket.id}`));
    expect(card.text).toContain('My download link has expired, please help');
    expect(card.text).toContain(`${orderId} paid`);

    await kit.admin.send(`/reply ${ticket.id} A new link is on its way.`);
    await kit.admin.waitForMessage(`✉️ Reply sent on ticket #${ticket.id}.`);
    await buyer.waitForMessage(
      `💬 L’assistance a répondu à votre ticket n° ${ticket.id} :\nA new link is on its way.\nÉcrivez de nouveau /support si besoin.`,
    );
    expect(kit.h.app.admin.tickets.get(ticket.id)).toMatchObject({
      status: 'answered',
      adminReply: 'A new link is on its way.',
    });

    await buyer.send('/support It still does not work for me');
    await buyer.waitForMessage(/ouvert|open/);
    expect(kit.h.app.admin.tickets.get(ticket.id)).toMatchObject({
      status: 'open',
      message: 'My download link has expired, please help\n\n» It still does not work for me',
    });
    expect(kit.h.app.admin.tickets.list('open').filter((t) => t.userId === ticket.userId)).toHaveLength(1);

    await kit.admin.tap('💬 Support inbox');
    await kit.admin.waitForMessage(/It still does not work/);
    await kit.admin.tap(`✅ Close #${ticket.id}`);
    await kit.admin.waitForMessage(`✅ Ticket #${ticket.id} closed.`);
    expect(kit.h.app.admin.tickets.get(ticket.id).status).toBe('closed');
    expect(
      kit.h.app.admin.audit
        .list()
        .slice(0, 2)
        .map((e) => e.action),
    ).toEqual(['ticket_close', 'ticket_reply']);
  });
});
