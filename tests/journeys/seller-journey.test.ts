/**
 * A seller's first course on the whole app against the fake Bot API over HTTP: a Telegram user
 * with no seller record runs /sell, then /newcourse and sends a 5 MB PDF in the chat (getFile,
 * then a download from <apiRoot>/file/bot<token>/<path>); the course is found by
 * GET /api/products?q=, its stored file has the PDF's SHA-256, and a buyer who pays it (IPN)
 * receives those bytes. A 30 MB course gets a one-time upload link instead, the upload page's
 * POST takes the file, and the bot says it arrived.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { createHash } from 'node:crypto';
import { startTestApp, type TestApp } from '../support/app.ts';
import type { TelegramUser } from '../support/telegram-user.ts';
import { paymentIdOf, payWith } from '../support/buying.ts';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const ETH = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed';

let h: TestApp;
beforeAll(async () => {
  h = await startTestApp({ telegram: true, nowpayments: true, publicUrl: true });
});
afterAll(() => h.stop());

test('/sell -> /newcourse with a 5 MB PDF -> published, found by search, bought and received byte for byte', async () => {
  const seller = h.fake.user({ first_name: 'Sam', language_code: 'en' });
  await seller.send('/sell');
  await seller.waitForMessage(/What name should buyers see/);
  for (const [answer, next] of [
    ['Sam Teaches', /Describe yourself/],
    ['Data engineering, taught by practice.', /Your e-mail address/],
    ['⏭ Skip', /Choose the network/],
    ['Ethereum (ETH, USDT ERC-20)', /paste your Ethereum/],
    [ETH, /You are now a seller/],
  ] as const) {
    await seller.send(answer);
    await seller.waitForMessage(next);
  }

  await seller.send('/newcourse');
  await seller.waitForMessage(/The course title/);
  for (const [answer, next] of [
    ['Quetzal stream processing', /Its description/],
    ['Kafka, Flink and friends, from zero to production.', /Its category/],
    ['💻 Development', /Its price/],
    ['24.90', /Telegram Stars/],
    ['⏭ Skip', /A cover photo/],
    ['⏭ Skip', /send the course file/],
  ] as const) {
    await seller.send(answer);
    await seller.waitForMessage(next);
  }
  const pdf = crypto.getRandomValues(new Uint8Array(5 * 1024 * 1024));
  pdf.set(new TextEncoder().encode('%PDF-1.7\n'));
  await seller.sendDocument('quetzal.pdf', pdf);
  await seller.waitForMessage(/Preview/, { timeoutMs: 15_000 });
  await seller.send('✅ Publish');
  await seller.waitForMessage(/is on sale/);

  const search = (await (await h.call('GET', '/api/products?q=quetzal')).json()) as {
    items: { id: string; title: string; file: { size_bytes: number } | null }[];
  };
  expect(search.items).toHaveLength(1);
  const [product] = search.items;
  expect(product).toMatchObject({ title: 'Quetzal stream processing', file: { size_bytes: pdf.byteLength } });
  const stored = h.app.store.sqlite
    .query('SELECT f.sha256 FROM products p JOIN files f ON f.id = p.file_id WHERE p.id = ?')
    .get(product!.id);
  expect(stored).toEqual({ sha256: sha256(pdf) });

  const buyer = h.fake.user({ first_name: 'Bea', language_code: 'en' });
  const payment = await payWith(buyer, product!.id, 'LTC');
  expect(await h.provider.advance(paymentIdOf(payment), 'finished', { url: h.ipnUrl() })).toBe(200);
  await buyer.waitForMessage((m) => m.document !== undefined, { timeoutMs: 15_000 });
  expect(buyer.documents().map((d) => d.sha256)).toEqual([sha256(pdf)]);

  // The seller is told, with a button to the dashboard, which shows the sale, the fee and the balance.
  // PLATFORM_FEE_PERCENT 5: 5 % of 24.90 is 1.245, rounded half up to 1.25.
  const notice = await seller.waitForMessage(/You sold/, { timeoutMs: 10_000 });
  expect(notice.text).toBe('You sold “Quetzal stream processing” — +$23.65');
  await seller.tap('📊 Dashboard');
  const dashboard = await seller.waitForMessage(/Your dashboard/);
  expect(dashboard.text).toContain('All time: 1 sales · $24.90 (fees $1.25, yours $23.65)');
  expect(dashboard.text).toContain('Balance: $23.65 available');
}, 60_000);

async function answer(user: TelegramUser, steps: readonly (readonly [string, RegExp])[]) {
  for (const [text, next] of steps) {
    await user.send(text);
    await user.waitForMessage(next);
  }
}

test('a 30 MB course: a one-time upload link, the upload arrives, the bot says so, the course is published with it', async () => {
  const seller = h.fake.user({ first_name: 'Lea', language_code: 'en' });
  await seller.send('/sell');
  await seller.waitForMessage(/What name should buyers see/);
  await answer(seller, [
    ['Lea Films', /Describe yourself/],
    ['⏭ Skip', /Your e-mail address/],
    ['⏭ Skip', /Choose the network/],
    ['ETH', /paste your Ethereum/],
    [ETH, /You are now a seller/],
  ]);
  await seller.send('/newcourse');
  await seller.waitForMessage(/The course title/);
  await answer(seller, [
    ['Yellowfin video editing', /Its description/],
    ['Four hours of editing, step by step.', /Its category/],
    ['🎨 Design & Creative', /Its price/],
    ['49', /Telegram Stars/],
    ['⏭ Skip', /A cover photo/],
    ['⏭ Skip', /send the course file/],
  ]);
  const big = crypto.getRandomValues(new Uint8Array(30 * 1024 * 1024));
  big.set(new TextEncoder().encode('%PDF-1.7\n'));
  const sent = await seller.sendDocument('yellowfin.pdf', big);
  const linkMessage = await seller.waitForMessage(/one-time page/);
  const token = /\/upload\/([A-Za-z0-9_-]+)/.exec(linkMessage.text!)![1]!;
  // Over the Bot API's 20 MB: the bot does not even try getFile.
  expect(h.fake.calls('getFile').filter((c) => c.params.file_id === sent.document!.file_id)).toEqual([]);

  const uploaded = await fetch(`${h.url}/api/upload?filename=yellowfin.pdf`, {
    method: 'POST',
    headers: { 'x-upload-token': token },
    body: big,
  });
  expect(uploaded.status).toBe(201);
  await seller.waitForMessage(
    '📥 Your file “yellowfin.pdf” (30.0 MB) has arrived. Tap Continue to finish your course.',
    { timeoutMs: 10_000 },
  );
  await seller.send('▶️ Continue');
  const preview = await seller.waitForMessage(/Preview/);
  expect(preview.text).toContain('File: yellowfin.pdf (30 MB)');
  await seller.send('✅ Publish');
  await seller.waitForMessage(/is on sale/);
  const search = (await (await h.call('GET', '/api/products?q=yellowfin')).json()) as { items: { id: string }[] };
  const stored = h.app.store.sqlite
    .query('SELECT f.sha256 FROM products p JOIN files f ON f.id = p.file_id WHERE p.id = ?')
    .get(search.items[0]!.id);
  expect(stored).toEqual({ sha256: sha256(big) });
}, 60_000);
