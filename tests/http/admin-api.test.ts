/**
 * The operator's HTTP API on the whole app: a crypto refund (note, tx hash checked per network),
 * a take-down gone from GET /api/products and its search at once (through the catalog cache),
 * suspension and ban; every action in GET /api/admin/audit with its actor.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { ADMIN_KEY, buy, startShop, type Shop } from '../support/app.ts';

let shop: Shop;
beforeAll(async () => {
  shop = await startShop();
});
afterAll(() => shop.stop());

const asAdmin = async (method: string, path: string, body?: unknown) => {
  const response = await shop.call(method, path, { key: ADMIN_KEY, body });
  // biome-ignore lint/suspicious/noExplicitAny: the tests read whichever fields each admin answer has.
  return { status: response.status, body: (await response.json()) as Record<string, any> };
};

async function paidOrder(): Promise<string> {
  const payment = await buy(shop, { email: `buyer${Math.random()}@example.com` });
  expect(await shop.provider.advance(payment.payment_id, 'finished')).toBe(200);
  return payment.order_id;
}

describe('HTTP admin API', () => {
  test('admin routes need the admin key', async () => {
    expect((await shop.call('GET', '/api/admin/audit')).status).toBe(401);
    const { key } = await shop.sellerKey('Not an admin');
    expect((await shop.call('POST', '/api/admin/refunds', { key, body: { order_id: 'ORD-1' } })).status).toBe(403);
  });

  test('crypto refund: note required, tx hash checked, then refunded with the ledger reversed and audited', async () => {
    const orderId = await paidOrder();
    expect(shop.count('entitlements', `order_id = '${orderId}' AND revoked_at IS NULL`)).toBe(1);
    const noNote = await asAdmin('POST', '/api/admin/refunds', { order_id: orderId });
    expect(noNote.status).toBe(422);
    expect(noNote.body.error.details).toEqual([expect.objectContaining({ field: 'note' })]);
    const badHash = await asAdmin('POST', '/api/admin/refunds', {
      order_id: orderId,
      note: 'sent back by hand',
      tx_hash: 'not-a-real-hash-value',
      network: 'BTC',
    });
    expect(badHash.status).toBe(422);
    const hash = 'AB'.repeat(32);
    const done = await asAdmin('POST', '/api/admin/refunds', {
      order_id: orderId,
      note: 'sent back by hand',
      tx_hash: hash,
      network: 'BTC',
    });
    expect(done).toMatchObject({
      status: 201,
      body: { order_id: orderId, method: 'crypto', status: 'refunded', tx_hash: hash.toLowerCase(), charge_id: null },
    });
    expect(shop.orderStatus(orderId)).toBe('refunded');
    expect(shop.count('entitlements', `order_id = '${orderId}' AND revoked_at IS NULL`)).toBe(0);
    expect(shop.count('ledger_entries', `order_id = '${orderId}' AND amount_cents < 0`)).toBe(2);
    expect((await asAdmin('POST', '/api/admin/refunds', { order_id: orderId, note: 'again' })).status).toBe(409);
    const listed = await asAdmin('GET', '/api/admin/refunds');
    expect(listed.body.items.map((o: { id: string }) => o.id)).toContain(orderId);
    const audit = await asAdmin('GET', '/api/admin/audit?action=refund');
    expect(audit.body.items[0]).toMatchObject({
      actor: 'key:env',
      action: 'refund',
      target: `order:${orderId}`,
      reason: 'sent back by hand',
      details: { tx_hash: hash.toLowerCase() },
    });
  });

  test('a take-down is gone from the list and the search at once (cached before), and back on restore', async () => {
    const ids = async (query = '') =>
      ((await (await shop.call('GET', `/api/products${query}`)).json()) as { items: { id: string }[] }).items.map(
        (p) => p.id,
      );
    // Cached first: the cache must not serve the course after the take-down.
    expect(await ids()).toContain(shop.productId);
    expect(await ids('?q=bitcoin')).toContain(shop.productId);
    expect((await shop.call('GET', `/api/products/${shop.productId}`)).status).toBe(200);

    expect(
      (await asAdmin('POST', `/api/admin/products/${shop.productId}/moderation`, { action: 'take_down' })).status,
    ).toBe(422);
    const down = await asAdmin('POST', `/api/admin/products/${shop.productId}/moderation`, {
      action: 'take_down',
      reason: 'misleading title',
    });
    expect(down).toMatchObject({
      status: 200,
      body: { id: shop.productId, status: 'banned', status_reason: 'misleading title' },
    });
    expect(await ids()).not.toContain(shop.productId);
    expect(await ids('?q=bitcoin')).not.toContain(shop.productId);
    expect((await shop.call('GET', `/api/products/${shop.productId}`)).status).toBe(404);

    const up = await asAdmin('POST', `/api/admin/products/${shop.productId}/moderation`, { action: 'restore' });
    expect(up.body.status).toBe('active');
    expect(await ids('?q=bitcoin')).toContain(shop.productId);
  });

  test('suspension hides a seller and stops them publishing; a ban and an unban; all audited in order', async () => {
    const { key, sellerId } = await shop.sellerKey('Suspended Shop');
    const product = await shop.product({ title: 'Soon hidden', seller: 'Suspended Shop' });
    const suspended = await asAdmin('POST', `/api/admin/sellers/${sellerId}/suspension`, {
      suspended: true,
      reason: 'chargebacks',
    });
    expect(suspended).toMatchObject({ status: 200, body: { seller_id: sellerId, status: 'suspended', courses: 1 } });
    expect((await shop.call('GET', `/api/products/${product.id}`)).status).toBe(404);
    const publish = await shop.call('POST', '/api/products', {
      key,
      body: { title: 'New course', description: 'A description long enough.', price_cents: 1000, category: 'business' },
    });
    expect(publish.status).toBe(403);
    expect(
      (await asAdmin('POST', `/api/admin/sellers/${sellerId}/suspension`, { suspended: true, reason: 'again' })).status,
    ).toBe(409);
    expect(
      (await asAdmin('POST', `/api/admin/sellers/${sellerId}/suspension`, { suspended: false })).body.courses,
    ).toBe(1);

    const user = shop.app.users.upsertTelegram({ telegramId: 5550001 });
    expect((await asAdmin('POST', `/api/admin/users/${user.id}/ban`, { banned: true })).status).toBe(422);
    expect(await asAdmin('POST', `/api/admin/users/${user.id}/ban`, { banned: true, reason: 'spam' })).toMatchObject({
      status: 200,
      body: { banned: true, reason: 'spam' },
    });
    expect((await asAdmin('POST', `/api/admin/users/${user.id}/ban`, { banned: false })).body.banned).toBe(false);
    expect((await asAdmin('POST', '/api/admin/users/999999/ban', { banned: true, reason: 'nobody' })).status).toBe(404);

    const actions = (await asAdmin('GET', '/api/admin/audit?limit=4')).body.items.map(
      (e: { action: string; target: string }) => `${e.action} ${e.target}`,
    );
    expect(actions).toEqual([
      `unban user:${user.id}`,
      `ban user:${user.id}`,
      `restore_seller seller:${sellerId}`,
      `suspend_seller seller:${sellerId}`,
    ]);
  });
});

/** The first e-mail the fake SMTP server got for `address` (the queue sends them when it runs). */
async function mailTo(address: string) {
  for (let count = 1; ; count++) {
    const mail = (await shop.smtp.waitForMessages(count, 10_000)).find((m) => m.envelope.to.includes(address));
    if (mail) return mail;
  }
}

describe('HTTP admin API: stats and tickets', () => {
  test('stats of a period; a ticket answered (and the answer e-mailed) and closed, audited', async () => {
    await paidOrder();
    const stats = await asAdmin('GET', '/api/admin/stats?period=all');
    expect(stats.status).toBe(200);
    expect(stats.body).toMatchObject({ period: 'all', orders_paid: expect.any(Number), open_tickets: 0 });
    expect(stats.body.daily).toHaveLength(30);
    expect(stats.body.revenue_cents).toBeGreaterThan(0);
    expect((await asAdmin('GET', '/api/admin/stats?period=year')).status).toBe(422);

    const user = shop.app.users.upsertEmail('ticket@example.com');
    const ticket = shop.app.support.openTicket(user.id, 'Where is my invoice please?');
    expect((await asAdmin('GET', '/api/admin/tickets')).body.items.map((t: { id: number }) => t.id)).toEqual([
      ticket.id,
    ]);
    const replied = await asAdmin('POST', `/api/admin/tickets/${ticket.id}/reply`, { text: 'Sent to your e-mail.' });
    expect(replied).toMatchObject({ status: 200, body: { status: 'answered', admin_reply: 'Sent to your e-mail.' } });
    const mail = await mailTo('ticket@example.com');
    expect(mail.parsed.subject).toBe(`Answer to your ticket #${ticket.id}`);
    expect(mail.parsed.text).toContain('Sent to your e-mail.');
    expect((await asAdmin('POST', `/api/admin/tickets/${ticket.id}/close`)).body.status).toBe('closed');
    expect((await asAdmin('POST', `/api/admin/tickets/${ticket.id}/reply`, { text: 'late' })).status).toBe(409);
    const audit = (await asAdmin('GET', '/api/admin/audit?limit=2')).body.items.map(
      (e: { action: string }) => e.action,
    );
    expect(audit).toEqual(['ticket_close', 'ticket_reply']);
  });
});

describe('HTTP admin API: broadcasts', () => {
  test('draft with its reach; without the bot it cannot start (503); the started flow with the bot: tests/bot/features/admin-broadcast.test.ts', async () => {
    shop.app.users.upsertTelegram({ telegramId: 5550101, languageCode: 'fr' });
    shop.app.users.upsertTelegram({ telegramId: 5550102, languageCode: 'en' });
    const draft = await asAdmin('POST', '/api/admin/broadcasts', {
      text: '<b>Hello</b> everyone',
      audience: { kind: 'language', language: 'fr' },
    });
    expect(draft).toMatchObject({ status: 201, body: { status: 'draft', recipients: 1 } });
    const started = await asAdmin('POST', `/api/admin/broadcasts/${draft.body.id}/start`);
    expect(started).toMatchObject({ status: 503, body: { error: { code: 'unavailable' } } });
    expect((await asAdmin('POST', `/api/admin/broadcasts/${draft.body.id}/cancel`)).body.status).toBe('cancelled');
    expect((await asAdmin('GET', '/api/admin/broadcasts')).body.items[0]).toMatchObject({
      id: draft.body.id,
      status: 'cancelled',
    });
    const actions = (await asAdmin('GET', '/api/admin/audit?limit=2')).body.items.map(
      (e: { action: string }) => e.action,
    );
    expect(actions[0]).toBe('broadcast_cancel');
  });
});

describe('HTTP admin API: payouts', () => {
  test('the pending queue; deciding an unknown payout is a 404 (the flow: tests/bot/features/admin-payouts.test.ts)', async () => {
    expect(await asAdmin('GET', '/api/admin/payouts')).toMatchObject({ status: 200, body: { items: [] } });
    expect((await asAdmin('POST', '/api/admin/payouts/999/paid', { tx_hash: `0x${'ab'.repeat(32)}` })).status).toBe(
      404,
    );
    expect((await asAdmin('POST', '/api/admin/payouts/999/reject', { reason: 'no' })).status).toBe(422);
    expect((await asAdmin('POST', '/api/admin/payouts/999/reject', { reason: 'not wanted' })).status).toBe(404);
  });
});
