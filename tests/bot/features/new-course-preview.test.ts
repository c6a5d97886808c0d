/**
 * /newcourse, the end of it: the optional cover photo (the preview and the buyer's card are
 * that photo, the card as caption), "Edit" at the preview (one field, back to the preview), and
 * no orphan file when the course is abandoned (Discard, /cancel, timeout) or its file replaced.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { ANSWER_TIMEOUT_MS } from '../../../src/bot/middleware/conversations.ts';
import { createTestBot, type TestBot } from '../../support/bot.ts';
import { courseUpTo, hugePdf, newSeller, pdfOf } from '../../support/new-course.ts';

let h: TestBot;
beforeAll(() => {
  h = createTestBot();
});
afterAll(() => h.stop());

const filesOf = (sellerId: number) =>
  h.app.store.sqlite.query('SELECT id, original_name AS name FROM files WHERE owner_seller_id = ?').all(sellerId) as {
    id: string;
    name: string;
  }[];
const productOf = (sellerId: number) =>
  h.app.store.sqlite
    .query('SELECT id, price_cents, file_id, cover_telegram_file_id AS cover FROM products WHERE seller_id = ?')
    .get(sellerId) as { id: string; price_cents: number; file_id: string; cover: string | null } | null;

describe('bot: /newcourse cover and Edit', () => {
  test('a cover photo: the preview and the buyer card are that photo; Edit changes the price and back to the preview', async () => {
    const seller = h.fake.user();
    const sellerRow = newSeller(h, seller);
    await courseUpTo(seller, 'cover');
    await seller.send('not a photo');
    await seller.waitForMessage(/Please send a photo/);
    const photo = await seller.sendPhoto();
    await seller.waitForMessage(/send the course file/);
    await seller.sendDocument('rust.pdf', pdfOf(4096));
    const preview = await seller.waitForMessage(/Preview/);
    expect(preview.photo?.[0]?.file_id).toBe(photo.photo![0]!.file_id);
    expect(preview.caption).toContain('Price: $19.90');

    await seller.send('✏️ Edit');
    await seller.waitForMessage('Which part do you want to change?');
    await seller.send('Price');
    await seller.waitForMessage(/Its price in USD/);
    await seller.send('0,5');
    await seller.waitForMessage(/That is not a price/);
    await seller.send('24.00');
    const edited = await seller.waitForMessage(/Preview/);
    expect(edited.caption).toContain('Price: $24.00');
    await seller.send('✅ Publish');
    await seller.waitForMessage(/is on sale/);
    const product = productOf(sellerRow.id)!;
    expect(product).toMatchObject({ price_cents: 2400, cover: photo.photo![0]!.file_id });

    const buyer = h.fake.user();
    await buyer.send(`/start p_${product.id}`);
    const card = await buyer.waitForMessage((m) => m.photo !== undefined);
    expect(card.photo?.[0]?.file_id).toBe(product.cover!);
    expect(card.caption).toContain('Rust for data engineers');
    // Its buttons work from the photo: the menu comes as a new message (a photo has no text to edit).
    await buyer.tap('🏠 Menu', { messageId: card.message_id });
    await buyer.waitForMessage(/Hello/);
  });

  test('Edit the cover away and replace the file at the preview: the first file is deleted, the second published', async () => {
    const seller = h.fake.user({ language_code: 'en' });
    const sellerRow = newSeller(h, seller);
    await courseUpTo(seller, 'preview');
    expect(filesOf(sellerRow.id).map((f) => f.name)).toEqual(['rust.pdf']);
    await seller.send('✏️ Edit');
    await seller.waitForMessage(/Which part/);
    await seller.send('File');
    await seller.waitForMessage(/send the course file/);
    await seller.sendDocument('second.pdf', pdfOf(2048));
    await seller.waitForMessage(/File: second.pdf/);
    expect(filesOf(sellerRow.id).map((f) => f.name)).toEqual(['second.pdf']);
    await seller.send('✏️ Edit');
    await seller.waitForMessage(/Which part/);
    await seller.send('Cover photo');
    await seller.waitForMessage(/new cover photo/);
    await seller.send('🚫 No cover');
    const preview = await seller.waitForMessage(/Preview/);
    expect(preview.photo).toBeUndefined();
    await seller.send('✅ Publish');
    await seller.waitForMessage(/is on sale/);
    const product = productOf(sellerRow.id)!;
    expect(product.cover).toBeNull();
    expect(filesOf(sellerRow.id)).toEqual([{ id: product.file_id, name: 'second.pdf' }]);
  });

  test('a file sent then abandoned (Discard, /cancel, another command, timeout) leaves no files row', async () => {
    const seller = h.fake.user();
    const sellerRow = newSeller(h, seller);
    await courseUpTo(seller, 'preview');
    await seller.send('✖️ Discard');
    await seller.waitForMessage(/Course discarded/);
    await seller.settled();
    expect(filesOf(sellerRow.id)).toEqual([]);

    await courseUpTo(seller, 'preview');
    await seller.send('/cancel');
    await seller.waitForMessage('OK, cancelled.');
    await seller.settled();
    expect(filesOf(sellerRow.id)).toEqual([]);

    await courseUpTo(seller, 'preview');
    await seller.send('/help');
    await seller.settled();
    expect(filesOf(sellerRow.id)).toEqual([]);

    await courseUpTo(seller, 'preview');
    expect(filesOf(sellerRow.id)).toHaveLength(1);
    await h.fake.idle();
    h.clock.advance(ANSWER_TIMEOUT_MS + 1000);
    await seller.send('✅ Publish');
    await seller.settled();
    expect(filesOf(sellerRow.id)).toEqual([]);
    expect(productOf(sellerRow.id)).toBeNull();
  });

  test('a file that arrived through an upload link, then /cancel before Continue: deleted too', async () => {
    const seller = h.fake.user();
    const sellerRow = newSeller(h, seller);
    await courseUpTo(seller, 'file');
    await seller.sendDocument('huge.pdf', hugePdf());
    const link = await seller.waitForMessage(/one-time page/);
    const token = /\/upload\/([A-Za-z0-9_-]+)/.exec(link.text!)![1]!;
    await h.app.files.upload({
      uploader: { uploadToken: token },
      filename: 'huge.pdf',
      body: (async function* () {
        yield pdfOf(4096);
      })(),
    });
    expect(filesOf(sellerRow.id)).toHaveLength(1);
    await seller.send('/cancel');
    await seller.waitForMessage('OK, cancelled.');
    await seller.settled();
    expect(filesOf(sellerRow.id)).toEqual([]);
  });
});
