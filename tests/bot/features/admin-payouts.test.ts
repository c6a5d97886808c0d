/**
 * The operator's payout screens (in process), on the sellers module's payouts: a seller requests,
 * the admin sees it in the queue with the address to copy, marks it paid with a tx hash checked
 * for the network (the seller is told, the balance final); a rejection returns the amount. All
 * audited.
 */
import { describe, expect, test } from 'bun:test';
import { ETH_ADDRESS as ETH, sellerWithSales, useAdminBot } from '../../support/admin.ts';

const ADMIN_ID = 777_401;
const kit = useAdminBot(ADMIN_ID);

describe('bot: admin payouts', () => {
  test('request -> queue -> /paid with a checked tx hash -> seller told, balance final; /rejectpayout gives the amount back', async () => {
    const sellerUser = kit.h.fake.user({ language_code: 'en' });
    const seller = await sellerWithSales(kit.h, sellerUser.id, 'Payout Seller', 'Paid out course');
    const available = kit.h.app.sellers.payouts.balance(seller.id).available_cents;
    const first = kit.h.app.sellers.payouts.request(seller.id, 5000);

    await kit.admin.send('/admin');
    await kit.admin.waitForMessage(/Administration/);
    await kit.admin.tap('💸 Payouts');
    const queue = await kit.admin.waitForMessage(/Pending payouts \(1\)/);
    expect(queue.text).toContain(`#${first.id} · Payout Seller (#${seller.id}) · 50.00 USD · ETH`);
    // The address in <code>: one tap copies it.
    expect(kit.h.fake.calls('sendMessage').some((c) => String(c.params.text).includes(`<code>${ETH}</code>`))).toBe(
      true,
    );

    await kit.admin.send(`/paid ${first.id} 0x1234`);
    await kit.admin.waitForMessage(/not a ETH transaction hash/);
    const hash = `0x${'ab'.repeat(32)}`;
    await kit.admin.send(`/paid ${first.id} ${hash}`);
    await kit.admin.waitForMessage(`💸 Payout #${first.id} marked paid.`);
    await sellerUser.waitForMessage(`💸 Your payout of 50.00 USD was sent on ETH. Transaction: ${hash}`);
    expect(kit.h.app.sellers.payouts.balance(seller.id)).toMatchObject({
      paid_out_cents: 5000,
      available_cents: available - 5000,
    });
    await kit.admin.send(`/paid ${first.id} ${hash}`);
    await kit.admin.waitForMessage(/already paid/);

    const second = kit.h.app.sellers.payouts.request(seller.id, 2000);
    await kit.admin.send(`/rejectpayout ${second.id} address is an exchange deposit`);
    await kit.admin.waitForMessage(`↩️ Payout #${second.id} rejected; the amount is available to the seller again.`);
    await sellerUser.waitForMessage(/was rejected: address is an exchange deposit/);
    expect(kit.h.app.sellers.payouts.balance(seller.id).available_cents).toBe(available - 5000);
    expect(
      kit.h.app.admin.audit
        .list()
        .slice(0, 2)
        .map((e) => [e.action, e.target]),
    ).toEqual([
      ['payout_rejected', `payout:${second.id}`],
      ['payout_paid', `payout:${first.id}`],
    ]);
  });
});
