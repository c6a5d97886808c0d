/**
 * A seller's course across both faces, on the whole app against the fake Bot API over HTTP:
 * published in the bot with a cover, taken off sale and back in the bot (the public API follows
 * at once), bought with an IPN, its file replaced in the bot (the buyer's next download, over
 * HTTP and in the bot, is the new file), listed and deleted with the seller's API key (gone from
 * /mycourses and the catalogue; the buyer keeps it).
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { startTestApp, type TestApp } from '../support/app.ts';
import { paymentIdOf, payWith } from '../support/buying.ts';
import { courseUpTo, newSeller, pdfOf, sha256 } from '../support/new-course.ts';

let h: TestApp;
beforeAll(async () => {
  h = await startTestApp({ telegram: true, nowpayments: true, publicUrl: true });
});
afterAll(() => h.stop());

type Listed = { items: { id: string; status: string; sales: { sales: number }; file: { size_bytes: number } }[] };
const searchIds = async (q: string) =>
  ((await (await h.call('GET', `/api/products?q=${q}`)).json()) as { items: { id: string }[] }).items.map((p) => p.id);

test('one course through the bot and the API: off/on sale, bought, file replaced, deleted', async () => {
  const seller = h.fake.user({ first_name: 'Oli', language_code: 'en' });
  const profile = newSeller(h, seller, 'Oli Teaches');
  const { key } = h.app.apiKeys.create({ role: 'seller', seller_id: profile.id });

  await courseUpTo(seller, 'cover', 'Ocelot tracking fieldwork');
  await seller.sendPhoto();
  await seller.waitForMessage(/send the course file/);
  const first = pdfOf(256 * 1024);
  await seller.sendDocument('ocelot-v1.pdf', first);
  await seller.waitForMessage((m) => m.photo !== undefined && /Preview/.test(m.caption ?? ''), { timeoutMs: 15_000 });
  await seller.send('✅ Publish');
  await seller.waitForMessage(/is on sale/);
  const [id] = await searchIds('ocelot');
  expect(id).toBeDefined();

  await seller.send('/mycourses');
  await seller.waitForMessage(/Your courses \(1\)/);
  await seller.tap(/Ocelot/);
  await seller.waitForMessage(/Sales: 0/);
  await seller.tap('⏸ Take off sale');
  await seller.waitForMessage(/Off sale/);
  expect(await searchIds('ocelot')).toEqual([]);
  expect((await h.call('GET', `/api/products/${id}`)).status).toBe(404);
  await seller.tap('▶️ Put back on sale');
  await seller.waitForMessage(/On sale/);
  expect(await searchIds('ocelot')).toEqual([id!]);

  const buyer = h.fake.user({ first_name: 'Bea', language_code: 'en' });
  const payment = await payWith(buyer, id!, 'LTC');
  expect(await h.provider.advance(paymentIdOf(payment), 'finished', { url: h.ipnUrl() })).toBe(200);
  await buyer.waitForMessage((m) => m.document !== undefined, { timeoutMs: 15_000 });
  expect(buyer.documents().map((d) => d.sha256)).toEqual([sha256(first)]);

  await seller.send('/mycourses');
  await seller.waitForMessage(/Your courses/);
  await seller.tap(/Ocelot/);
  await seller.waitForMessage(/Sales: 1/);
  await seller.tap('✏️ Edit');
  await seller.waitForMessage(/What do you want to change/);
  await seller.tap('File');
  await seller.waitForMessage(/send the course file/);
  const second = pdfOf(300 * 1024);
  await seller.sendDocument('ocelot-v2.pdf', second);
  await seller.waitForMessage('✅ Saved.', { timeoutMs: 15_000 });

  const mine = (await (await h.call('GET', '/api/seller/courses', { key })).json()) as Listed;
  expect(mine.items).toMatchObject([
    { id, status: 'active', sales: { sales: 1 }, file: { size_bytes: second.byteLength } },
  ]);

  // The buyer's next download is the new file: over a signed HTTP link, and again in the bot.
  const buyerId = h.app.users.findByTelegramId(buyer.id)!.id;
  const link = h.app.downloads.createDownloadLink(buyerId, id!);
  const downloaded = new Uint8Array(await (await fetch(link.url)).arrayBuffer());
  expect(sha256(downloaded)).toBe(sha256(second));

  // Another seller's key cannot delete it; its own can.
  const other = await h.sellerKey('Someone Else');
  expect((await h.call('DELETE', `/api/seller/courses/${id}`, { key: other.key })).status).toBe(403);
  expect((await h.call('DELETE', `/api/seller/courses/${id}`, { key })).status).toBe(204);
  expect(await searchIds('ocelot')).toEqual([]);
  expect(((await (await h.call('GET', '/api/seller/courses', { key })).json()) as Listed).items).toEqual([]);
  await seller.send('/mycourses');
  await seller.waitForMessage(/Your courses \(0\)/);

  await buyer.send('/library');
  await buyer.waitForMessage(/My library/);
  await buyer.tap('📘 Ocelot tracking fieldwork');
  await buyer.waitForMessage(/Ocelot tracking fieldwork/);
  await buyer.tap('⬇️ Download again');
  await buyer.waitForMessage((m) => m.document !== undefined && m.document.file_name === 'ocelot-v2.pdf', {
    timeoutMs: 15_000,
  });
  expect(buyer.documents().at(-1)!.sha256).toBe(sha256(second));
}, 60_000);
