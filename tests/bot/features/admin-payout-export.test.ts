/**
 * The operator's payout figures (in process): the pending payouts total (count and amount) on
 * the stats screen, and the payouts of a period as a CSV document (the button: the last 30
 * days; /payoutscsv FROM TO), a seller's typed name made safe for spreadsheets; audited.
 */
import { describe, expect, test } from 'bun:test';
import { ETH_ADDRESS as ETH, sellerWithSales, useAdminBot } from '../../support/admin.ts';

const ADMIN_ID = 777_601;
const DAY = 86_400_000;
const kit = useAdminBot(ADMIN_ID);

const csvLines = (bytes: Uint8Array) => new TextDecoder().decode(bytes).trim().split('\r\n');

describe('bot: payouts in the stats and as CSV', () => {
  test('pending total on the stats screen; CSV of the last 30 days and of a chosen period', async () => {
    const seller = await sellerWithSales(kit.h, 7_601_001, '=Sum, "Quoted" Seller', 'Exported course');
    const old = kit.h.app.sellers.payouts.request(seller.id, 3000);
    await kit.h.app.admin.payouts.markPaid('test', old.id, `0x${'cd'.repeat(32)}`);
    const oldDay = old.created_at.slice(0, 10);
    kit.h.clock.advance(40 * DAY);
    const recent = kit.h.app.sellers.payouts.request(seller.id, 2000);
    const today = recent.created_at.slice(0, 10);

    await kit.admin.send('/admin');
    await kit.admin.waitForMessage(/Administration/);
    await kit.admin.tap('📊 Stats');
    const stats = await kit.admin.waitForMessage(/Stats — today/);
    expect(stats.text).toContain('Pending payouts: 1 · 20.00 USD');
    expect(kit.h.app.admin.stats.stats('all').pending_payouts).toEqual({
      count: 1,
      amount_cents: 2000,
      currency: 'USD',
    });

    await kit.admin.tap('🛠 Admin');
    await kit.admin.waitForMessage(/Administration/);
    await kit.admin.tap('💸 Payouts');
    await kit.admin.waitForMessage(/Pending payouts \(1\)/);
    await kit.admin.tap('📄 Payouts CSV, last 30 days');
    const sent = await kit.admin.waitForMessage((m) => m.document !== undefined);
    expect(sent.caption).toMatch(/^📄 1 payout\(s\) requested from \d{4}-\d{2}-\d{2} to /);
    const lastMonth = kit.admin.documents().at(-1)!;
    const from30 = new Date(Date.parse(today) - 29 * DAY).toISOString().slice(0, 10);
    expect(lastMonth.file_name).toBe(`payouts-${from30}-${today}.csv`);
    const lines = csvLines(lastMonth.bytes);
    expect(lines[0]).toBe(
      'payout_id,seller_id,seller_name,amount,currency,network,address,status,tx_hash,reason,requested_at,decided_at',
    );
    expect(lines.slice(1)).toEqual([
      `${recent.id},${seller.id},"'=Sum, ""Quoted"" Seller",20.00,USD,ETH,${ETH},pending,,,${recent.created_at},`,
    ]);

    await kit.admin.send(`/payoutscsv ${oldDay} ${today}`);
    await kit.admin.waitForMessage(/2 payout\(s\) requested/);
    const both = csvLines(kit.admin.documents().at(-1)!.bytes).slice(1);
    expect(both.map((line) => line.split(',').slice(0, 1).concat(line.split(',').slice(-5, -2)))).toEqual([
      [String(old.id), 'paid', `0x${'cd'.repeat(32)}`, ''],
      [String(recent.id), 'pending', '', ''],
    ]);
    expect(kit.h.app.admin.audit.list({ action: 'payout_export', limit: 1 })[0]).toMatchObject({
      actor: `tg:${ADMIN_ID}`,
      target: `${oldDay}..${today}`,
      details: { count: 2 },
    });

    await kit.admin.send(`/payoutscsv ${today} ${oldDay}`);
    await kit.admin.waitForMessage(/the period starts after it ends/);
    await kit.admin.send('/payoutscsv yesterday');
    await kit.admin.waitForMessage(/a day as YYYY-MM-DD/);
  });
});
