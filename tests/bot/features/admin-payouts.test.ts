/**
 * The operator's payout screens (in process), on the sellers module's payouts: a seller requests,
 * the admin sees it in the queue with the address to copy, marks it paid with a tx hash checked
 * for the network (the seller is told, the balance final); a rejection returns the amount. All
 * audited.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createTestBot, type TestBot } from '../../support/bot.ts';
import type { TelegramUser } from '../../support/telegram-user.ts';

const ADMIN_ID = 777_401;
const ETH = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed';
let h: TestBot;
let admin: TelegramUser;
beforeAll(() => {
  h = createTestBot({ env: { ADMIN_USER_ID: String(ADMIN_ID) } });
  admin = h.fake.user({ id: ADMIN_ID, language_code: 'en' });
});
afterAll(() => h.stop());

describe('bot: admin payouts', () => {
  test('request -> queue -> /paid with a checked tx hash -> seller told, balance final; /rejectpayout gives the amount back', async () => {
    const sellerUser = h.fake.user({ language_code: 'en' });
    const userId = h.app.users.upsertTelegram({ telegramId: sellerUser.id, languageCode: 'en' }).id;
    const seller = h.app.sellers.profiles.register(userId, { display_name: 'Payout Seller', payout_network: 'ETH', payout_address: ETH });
    const course = h.product({ title: 'Paid out course', price_cents: 10_000 } as never);
    h.app.store.sqlite.run('UPDATE products SET seller_id = ? WHERE id = ?', [seller.id, course.id]);
    for (let i = 0; i < 2; i++) await h.own(h.fake.user(), course.id, { file: false });
    const available = h.app.sellers.payouts.balance(seller.id).available_cents;
    const first = h.app.sellers.payouts.request(seller.id, 5000);

    await admin.send('/admin');
    await admin.waitForMessage(/Administration/);
    await admin.tap('💸 Payouts');
    const queue = await admin.waitForMessage(/Pending payouts \(1\)/);
    expect(queue.text).toContain(`#${first.id} · Payout Seller (#${seller.id}) · 50.00 USD · ETH`);
    // The address in <code>: one tap copies it.
    expect(h.fake.calls('sendMessage').some((c) => String(c.params.text).includes(`<code>${ETH}</code>`))).toBe(true);

    await admin.send(`/paid ${first.id} 0x1234`);
    await admin.waitForMessage(/not a ETH transaction hash/);
    const hash = `0x${'ab'.repeat(32)}`;
    await admin.send(`/paid ${first.id} ${hash}`);
    await admin.waitForMessage(`💸 Payout #${first.id} marked paid.`);
    await sellerUser.waitForMessage(`💸 Your payout of 50.00 USD was sent on ETH. Transaction: ${hash}`);
    expect(h.app.sellers.payouts.balance(seller.id)).toMatchObject({ paid_out_cents: 5000, available_cents: available - 5000 });
    await admin.send(`/paid ${first.id} ${hash}`);
    await admin.waitForMessage(/already paid/);

    const second = h.app.sellers.payouts.request(seller.id, 2000);
    await admin.send(`/rejectpayout ${second.id} address is an exchange deposit`);
    await admin.waitForMessage(`↩️ Payout #${second.id} rejected; the amount is available to the seller again.`);
    await sellerUser.waitForMessage(/was rejected: address is an exchange deposit/);
    expect(h.app.sellers.payouts.balance(seller.id).available_cents).toBe(available - 5000);
    expect(h.app.admin.audit.list().slice(0, 2).map((e) => [e.action, e.target])).toEqual([
      ['payout_rejected', `payout:${second.id}`],
      ['payout_paid', `payout:${first.id}`],
    ]);
  });
});
