/**
 * A course's cover across both faces, on the whole app against the fake Bot API over HTTP: a
 * cover set with the seller's API key becomes the bot's product card (uploaded from the bytes the
 * first time, re-sent by Telegram's file_id after), and a cover sent in the bot is served by
 * GET /api/products/{id}/cover with the very bytes the seller sent.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { TelegramErrors } from '../fakes/telegram.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { courseUpTo, newSeller, pdfOf, sha256 } from '../support/new-course.ts';

let h: TestApp;
beforeAll(async () => {
  h = await startTestApp({ telegram: true });
});
afterAll(() => h.stop());

const jpeg = (seed: number) =>
  Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, ...Array.from({ length: 4000 }, (_, i) => (i * seed) % 256)]);
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Array(900).fill(4)]);

const putCover = (id: string, key: string, body: Uint8Array, type: string) =>
  fetch(`${h.url}/api/seller/courses/${id}/cover`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${key}`, 'content-type': type },
    body,
  });
const coverBytes = async (id: string) =>
  new Uint8Array(await (await fetch(`${h.url}/api/products/${id}/cover`)).arrayBuffer());
/** The sendPhoto calls the bot made into a chat (the message may arrive before the call's status is recorded). */
const photosTo = (chatId: number) =>
  h.fake.calls('sendPhoto').filter((call) => String(call.params.chat_id) === String(chatId));

test('a cover set over HTTP: the first card uploads the bytes, the next ones re-send its file_id', async () => {
  const { key } = await h.sellerKey('Http Covers');
  const course = await h.product({ seller: 'Http Covers', title: 'Lynx tracking in winter' });
  const picture = jpeg(7);
  expect((await putCover(course.id, key, picture, 'image/jpeg')).status).toBe(200);

  const buyer = h.fake.user({ first_name: 'Bea', language_code: 'en' });
  await buyer.send(`/start p_${course.id}`);
  const first = await buyer.waitForMessage((m) => m.photo !== undefined);
  expect(first.caption).toContain('Lynx tracking in winter');
  const [upload] = photosTo(buyer.id);
  expect(upload!.files).toMatchObject([{ filename: 'cover.jpg', sha256: sha256(picture), size: picture.byteLength }]);

  await buyer.send(`/start p_${course.id}`);
  const second = await buyer.waitForMessage((m) => m.photo !== undefined && m.message_id > first.message_id);
  const again = photosTo(buyer.id)[1]!;
  expect(again.files).toEqual([]);
  expect(again.params.photo).toBe(first.photo!.at(-1)!.file_id);

  // A new cover over HTTP: the old file_id is forgotten, the next card uploads the PNG.
  expect((await putCover(course.id, key, PNG, 'image/png')).status).toBe(200);
  await buyer.send(`/start p_${course.id}`);
  await buyer.waitForMessage((m) => m.photo !== undefined && m.message_id > second.message_id);
  expect(photosTo(buyer.id)[2]!.files).toMatchObject([{ sha256: sha256(PNG) }]);
});

test('a cover sent in the bot (/newcourse, then Edit in /mycourses) is served over HTTP with the same bytes', async () => {
  const seller = h.fake.user({ first_name: 'Oli', language_code: 'en' });
  newSeller(h, seller, 'Bot Covers');
  await courseUpTo(seller, 'cover', 'Heron counting at dawn');
  const sent = jpeg(13);
  await seller.sendPhoto(sent);
  await seller.waitForMessage(/send the course file/);
  await seller.sendDocument('heron.pdf', pdfOf(8192));
  await seller.waitForMessage((m) => m.photo !== undefined && /Preview/.test(m.caption ?? ''));
  await seller.send('✅ Publish');
  await seller.waitForMessage(/is on sale/);
  const { items } = (await (await h.call('GET', '/api/products?q=heron')).json()) as { items: { id: string }[] };
  const id = items[0]!.id;
  const served = await fetch(`${h.url}/api/products/${id}/cover`);
  expect(served.headers.get('content-type')).toBe('image/jpeg');
  expect(sha256(new Uint8Array(await served.arrayBuffer()))).toBe(sha256(sent));

  await seller.send('/mycourses');
  await seller.waitForMessage(/Your courses/);
  await seller.tap(/Heron/);
  await seller.waitForMessage(/Sales: 0/);
  await seller.tap('✏️ Edit');
  await seller.waitForMessage(/What do you want to change/);
  await seller.tap('Cover photo');
  await seller.waitForMessage(/new cover photo/);
  const replaced = jpeg(29);
  await seller.sendPhoto(replaced);
  await seller.waitForMessage('✅ Saved.');
  expect(sha256(await coverBytes(id))).toBe(sha256(replaced));
});

test('a cover whose bytes are gone from DATA_DIR: the card is sent as text, not lost', async () => {
  const { key } = await h.sellerKey('Lost Covers');
  const course = await h.product({ seller: 'Lost Covers', title: 'Otter habits by the river' });
  const picture = jpeg(31);
  expect((await putCover(course.id, key, picture, 'image/jpeg')).status).toBe(200);
  const hash = sha256(picture);
  rmSync(join(h.dataDir, 'covers', hash.slice(0, 2), hash));

  const buyer = h.fake.user({ first_name: 'Ana', language_code: 'en' });
  await buyer.send(`/start p_${course.id}`);
  const card = await buyer.waitForMessage(/Otter habits by the river/);
  expect(card.photo).toBeUndefined();
  expect((await fetch(`${h.url}/api/products/${course.id}/cover`)).status).toBe(404);
});

test('a cover Telegram refuses (400 PHOTO_INVALID_DIMENSIONS): the card is sent as text, and the next one tries again', async () => {
  const { key } = await h.sellerKey('Odd Covers');
  const course = await h.product({ seller: 'Odd Covers', title: 'Heron fishing at dawn' });
  expect((await putCover(course.id, key, jpeg(11), 'image/jpeg')).status).toBe(200);
  h.fake.failNext('sendPhoto', TelegramErrors.badRequest('PHOTO_INVALID_DIMENSIONS'));

  const buyer = h.fake.user({ first_name: 'Ida', language_code: 'en' });
  await buyer.send(`/start p_${course.id}`);
  const card = await buyer.waitForMessage(/Heron fishing at dawn/);
  expect(card.photo).toBeUndefined();
  expect(buyer.buttons(card.message_id).length).toBeGreaterThan(0);
  await buyer.send(`/start p_${course.id}`);
  await buyer.waitForMessage((m) => m.photo !== undefined && m.message_id > card.message_id);
});
