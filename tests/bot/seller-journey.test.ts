/**
 * Issue 13, "Done when" 1, on the whole app against the fake Bot API over HTTP: a Telegram user
 * with no seller record runs /sell, then /newcourse and sends a 5 MB PDF in the chat (getFile,
 * then a download from <apiRoot>/file/bot<token>/<path>); the course is found by
 * GET /api/products?q=, its stored file has the PDF's SHA-256, and a buyer who pays it (IPN)
 * receives those bytes.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { createHash } from 'node:crypto';
import { startTestApp, type TestApp } from '../support/app.ts';
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

  const search = (await (await h.call('GET', '/api/products?q=quetzal')).json()) as { items: { id: string; title: string; file: { size_bytes: number } | null }[] };
  expect(search.items).toHaveLength(1);
  const [product] = search.items;
  expect(product).toMatchObject({ title: 'Quetzal stream processing', file: { size_bytes: pdf.byteLength } });
  const stored = h.app.store.sqlite.query('SELECT f.sha256 FROM products p JOIN files f ON f.id = p.file_id WHERE p.id = ?').get(product!.id);
  expect(stored).toEqual({ sha256: sha256(pdf) });

  const buyer = h.fake.user({ first_name: 'Bea', language_code: 'en' });
  const payment = await payWith(buyer, product!.id, 'LTC');
  expect(await h.provider.advance(paymentIdOf(payment), 'finished', { url: h.ipnUrl() })).toBe(200);
  await buyer.waitForMessage((m) => m.document !== undefined, { timeoutMs: 15_000 });
  expect(buyer.documents().map((d) => d.sha256)).toEqual([sha256(pdf)]);
}, 60_000);
