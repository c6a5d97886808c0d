/**
 * "Edit" in /mycourses: every field asked as /newcourse asks it (same rules, the same refusals),
 * saved on the course, the course shown again. Replacing the file: a buyer who already bought
 * gets the new bytes on the next download, never the old file's cached Telegram file_id.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createTestBot, type TestBot } from '../../support/bot.ts';
import { courseUpTo, newSeller, pdfOf, sha256 } from '../../support/new-course.ts';
import type { TelegramUser } from '../../support/telegram-user.ts';

let h: TestBot;
beforeAll(() => {
  h = createTestBot();
});
afterAll(() => h.stop());

const row = (id: string) =>
  h.app.store.sqlite
    .query(
      'SELECT title, description, category_id, price_cents, stars_price, cover_telegram_file_id AS cover, file_id FROM products WHERE id = ?',
    )
    .get(id) as {
    title: string;
    description: string;
    category_id: number;
    price_cents: number;
    stars_price: number | null;
    cover: string | null;
    file_id: string;
  };

async function editField(user: TelegramUser, title: RegExp, field: string) {
  await user.send('/mycourses');
  await user.waitForMessage(/Your courses/);
  await user.tap(title);
  await user.waitForMessage(/Sales:/);
  await user.tap('✏️ Edit');
  await user.waitForMessage(/What do you want to change/);
  await user.tap(field);
}

/** A new seller in the bot with one course on sale at $10.00. */
function sellerWithCourse(title: string) {
  const user = h.fake.user();
  const seller = newSeller(h, user);
  const { id } = h.app.sellers.publishCourse(seller.id, {
    title,
    description: 'Original description.',
    price_cents: 1000,
    category: 'business',
  });
  return { user, seller, id };
}

describe('bot: editing a course from /mycourses', () => {
  test('each field: refused answers re-asked with the /newcourse rules, then saved', async () => {
    const { user, id } = sellerWithCourse('Original title here');
    await editField(user, /Original title/, 'Title');
    await user.waitForMessage(/The course title/);
    await user.send('Rust');
    await user.waitForMessage(/The title must be 5 to 100 characters/);
    await user.send('Renamed course title');
    await user.waitForMessage('✅ Saved.');
    await user.waitForMessage(/Renamed course title/);

    await editField(user, /Renamed/, 'Description');
    await user.send('d'.repeat(1001));
    await user.waitForMessage(/must be 1000 characters at most|must be 1,000 characters at most/);
    await user.send('A brand new description.');
    await user.waitForMessage('✅ Saved.');

    await editField(user, /Renamed/, 'Category');
    await user.send('Cooking');
    await user.waitForMessage(/choose one of the categories/);
    await user.send('💻 Development');
    await user.waitForMessage('✅ Saved.');

    await editField(user, /Renamed/, 'Price');
    await user.send('12,3,4');
    await user.waitForMessage(/That is not a price/);
    await user.send('12,50');
    await user.waitForMessage(/Price: \$12.50/);

    await editField(user, /Renamed/, 'Stars price');
    await user.send('many');
    await user.waitForMessage(/whole number of Stars/);
    await user.send('750');
    await user.waitForMessage(/⭐ 750/);

    await editField(user, /Renamed/, 'Cover photo');
    await user.waitForMessage(/new cover photo/);
    const photo = await user.sendPhoto();
    await user.waitForMessage('✅ Saved.');

    const development = h.app.catalog.listCategories().find((c) => c.name === 'Development')!;
    expect(row(id)).toMatchObject({
      title: 'Renamed course title',
      description: 'A brand new description.',
      category_id: development.id,
      price_cents: 1250,
      stars_price: 750,
      cover: photo.photo![0]!.file_id,
    });
    expect(h.app.catalog.listProducts({ q: 'renamed' }).items.map((p) => p.id)).toEqual([id]);

    await editField(user, /Renamed/, 'Cover photo');
    await user.send('🚫 No cover');
    await user.waitForMessage('✅ Saved.');
    expect(row(id).cover).toBeNull();
  });

  test('replace the file: a buyer re-downloads the new bytes, not the old cached file_id', async () => {
    const user = h.fake.user();
    const seller = newSeller(h, user);
    await courseUpTo(user, 'preview', 'Replaceable file course');
    await user.send('✅ Publish');
    await user.waitForMessage(/is on sale/);
    const id = h.app.sellers.courses.page(seller.id, 0, 8).items[0]!.id;
    const oldFile = h.app.files.get(row(id).file_id)!;

    const buyer = h.fake.user();
    const { orderId } = await h.own(buyer, id, { file: false });
    await h.deliver(orderId);
    expect(buyer.documents()).toHaveLength(1);
    expect(buyer.documents()[0]!.sha256).toBe(oldFile.sha256);

    await editField(user, /Replaceable/, 'File');
    await user.waitForMessage(/send the course file/);
    const exe = new Uint8Array(4096);
    exe.set([0x4d, 0x5a, 0x90, 0, 3]);
    await user.sendDocument('course.pdf', exe);
    await user.waitForMessage(/This file type is not accepted/);
    const second = pdfOf(8192);
    const sent = await user.sendDocument('second-edition.pdf', second);
    await user.waitForMessage('✅ Saved.');
    const newFile = h.app.files.get(row(id).file_id)!;
    expect(newFile.sha256).toBe(sha256(second));
    expect(newFile.telegramFileId).toBe(sent.document!.file_id);

    await buyer.send('/library');
    await buyer.waitForMessage(/My library/);
    await buyer.tap('📘 Replaceable file course');
    await buyer.waitForMessage(/Replaceable file course/);
    await buyer.tap('⬇️ Download again');
    await h.fake.idle();
    expect(buyer.documents()).toHaveLength(2);
    expect(buyer.documents()[1]!.sha256).toBe(sha256(second));
    const resent = h.fake.calls('sendDocument').at(-1)!.params.document;
    expect(resent).not.toBe(oldFile.telegramFileId);
  });

  test('the course deleted while its new file was asked for: nothing saved, the file dropped', async () => {
    const { user, seller, id } = sellerWithCourse('Soon deleted course');
    await editField(user, /Soon deleted/, 'File');
    await user.waitForMessage(/send the course file/);
    h.app.sellers.courses.remove(seller.id, id);
    await user.sendDocument('late.pdf', pdfOf(2048));
    await user.waitForMessage('This course no longer exists.');
    const files = h.app.store.sqlite.query('SELECT id FROM files WHERE owner_seller_id = ?').all(seller.id);
    expect(files).toEqual([]);
  });
});
