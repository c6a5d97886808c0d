/**
 * /newcourse: a seller's course by conversation. Every step takes a valid answer, re-asks after
 * an invalid one, and /cancel stores no product; the document sent in the chat is fetched with
 * getFile and the file URL and stored by the files module (same checks as POST /api/upload),
 * keeping Telegram's file_id; "Publish" puts the course in search at once. In process.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createTestBot, type TestBot } from '../../support/bot.ts';
import { courseUpTo, newSeller as addSeller, hugePdf, pdfOf, sha256 } from '../../support/new-course.ts';
import type { TelegramUser } from '../../support/telegram-user.ts';

let h: TestBot;
beforeAll(() => {
  h = createTestBot();
});
afterAll(() => h.stop());

const productsOf = (sellerId: number) =>
  h.app.store.sqlite.query('SELECT * FROM products WHERE seller_id = ?').all(sellerId) as {
    id: string;
    title: string;
    price_cents: number;
    stars_price: number | null;
    file_id: string;
  }[];
const newSeller = (user: TelegramUser) => addSeller(h, user);

describe('bot: /newcourse', () => {
  test('a seller publishes a course from a PDF sent in the chat; it is found by search at once', async () => {
    const user = h.fake.user();
    const seller = newSeller(user);
    await courseUpTo(user, 'file', 'Zanzibar rust pipelines');
    const pdf = pdfOf(5 * 1024 * 1024);
    const sent = await user.sendDocument('course.pdf', pdf);
    const preview = await user.waitForMessage(/Preview/);
    expect(preview.text).toContain('Zanzibar rust pipelines');
    expect(preview.text).toContain('Price: $19.90 · ⭐ —');
    expect(preview.text).toContain('File: course.pdf (5 MB)');
    expect(productsOf(seller.id)).toEqual([]);
    await user.send('✅ Publish');
    const published = await user.waitForMessage(/is on sale/);
    const [product] = productsOf(seller.id);
    expect(product).toMatchObject({ title: 'Zanzibar rust pipelines', price_cents: 1990, stars_price: null });
    expect(published.text).toContain(`https://t.me/${h.fake.botInfo.username}?start=p_${product!.id}`);
    const file = h.app.store.sqlite
      .query('SELECT sha256, size_bytes, telegram_file_id FROM files WHERE id = ?')
      .get(product!.file_id);
    expect(file).toEqual({ sha256: sha256(pdf), size_bytes: pdf.byteLength, telegram_file_id: sent.document!.file_id });
    expect(h.fake.calls('getFile').at(-1)?.params.file_id).toBe(sent.document!.file_id);
    const found = h.app.catalog.listProducts({ q: 'zanzibar' });
    expect(found.items.map((p) => p.id)).toEqual([product!.id]);
  });

  test('title, description, category, price, Stars: invalid answers re-asked', async () => {
    const user = h.fake.user();
    const seller = newSeller(user);
    await courseUpTo(user, 'title');
    await user.send('Rust');
    await user.waitForMessage('The title must be 5 to 100 characters. Please try again.');
    await user.send('t'.repeat(101));
    await user.waitForMessage(/The title must be/);
    await user.sendSticker();
    await user.waitForMessage('Please answer with text, or type /cancel.');
    await user.send('Rust basics');
    await user.waitForMessage(/Its description/);
    await user.send('d'.repeat(1001));
    await user.waitForMessage(/1000 characters at most|1,000 characters at most/);
    await user.send('All of it.');
    await user.waitForMessage(/Its category/);
    await user.send('Cooking');
    await user.waitForMessage('Please choose one of the categories on the buttons.');
    await user.send('💻 Development');
    await user.waitForMessage(/Its price/);
    for (const bad of ['12,3,4', '0.50', '5000.01', 'free']) {
      await user.send(bad);
      await user.waitForMessage(/That is not a price from 1.00 to 5,000.00/);
    }
    await user.send('25.5');
    await user.waitForMessage(/Telegram Stars/);
    await user.send('2.5');
    await user.waitForMessage(/whole number of Stars/);
    await user.send('600');
    await user.waitForMessage(/A cover photo/);
    await user.send('⏭ Skip');
    await user.waitForMessage(/send the course file/);
    await user.sendDocument('basics.pdf', pdfOf(1024));
    await user.waitForMessage(/Price: \$25.50 · ⭐ 600/);
    await user.send('✅ Publish');
    await user.waitForMessage(/is on sale/);
    expect(productsOf(seller.id)).toMatchObject([{ title: 'Rust basics', price_cents: 2550, stars_price: 600 }]);
  });

  test('file: text, a renamed .exe are refused and asked again; over 20 MB, a one-time upload link', async () => {
    const user = h.fake.user();
    const seller = newSeller(user);
    await courseUpTo(user, 'file');
    await user.send('here it is');
    await user.waitForMessage(/Please send the course as a file/);
    const exe = new Uint8Array(4096);
    exe.set([0x4d, 0x5a, 0x90, 0, 3]);
    await user.sendDocument('course.pdf', exe);
    await user.waitForMessage(/This file type is not accepted/);
    await user.sendDocument('huge.pdf', hugePdf());
    const link = await user.waitForMessage(/bigger than the 20 MB a bot can fetch/);
    expect(link.text).toMatch(/\/upload\/[A-Za-z0-9_-]+/);
    await user.send('done?');
    await user.waitForMessage(/Your file has not arrived yet/);
    expect(productsOf(seller.id)).toEqual([]);
    await user.sendDocument('fine.pdf', pdfOf(2048));
    await user.waitForMessage(/Preview/);
  });

  test('in French: every invalid answer is refused in French and asked again; nothing is stored', async () => {
    const user = h.fake.user({ language_code: 'fr' });
    const seller = newSeller(user);
    await user.send('/newcourse');
    await user.waitForMessage(/Le titre de la formation/);
    for (const bad of ['Rust', 't'.repeat(101)]) {
      await user.send(bad);
      await user.waitForMessage('Le titre doit faire de 5 à 100 caractères. Merci de réessayer.');
    }
    await user.sendSticker();
    await user.waitForMessage('Merci de répondre par un texte, ou tapez /cancel.');
    await user.send('Les bases de Rust');
    await user.waitForMessage(/Sa description/);
    await user.send('d'.repeat(1001));
    await user.waitForMessage(/La description ne doit pas être vide/);
    await user.send('Tout y est.');
    await user.waitForMessage(/Sa catégorie/);
    await user.send('Cuisine');
    await user.waitForMessage("Merci de choisir l'une des catégories proposées sur les boutons.");
    await user.send('💻 Développement');
    await user.waitForMessage(/Son prix en USD/);
    for (const bad of ['12,3,4', '0,50', '5000,01', 'gratuit']) {
      await user.send(bad);
      await user.waitForMessage(/Ce n'est pas un prix de 1,00 à 5 000,00/);
    }
    await user.send('25,5');
    await user.waitForMessage(/Son prix en Telegram Stars/);
    await user.send('2,5');
    await user.waitForMessage(/Merci de taper un nombre entier de Stars/);
    await user.send('⏭ Passer');
    await user.waitForMessage(/Une photo de couverture/);
    await user.send('⏭ Passer');
    await user.waitForMessage(/Envoyez maintenant le fichier de la formation/);
    await user.send('le voici');
    await user.waitForMessage(/Merci d'envoyer la formation comme fichier/);
    const exe = new Uint8Array(4096);
    exe.set([0x4d, 0x5a, 0x90, 0, 3]);
    await user.sendDocument('formation.pdf', exe);
    await user.waitForMessage(/Ce type de fichier n'est pas accepté/);
    await user.send('/cancel');
    await user.waitForMessage(/annul/i);
    expect(productsOf(seller.id)).toEqual([]);
    // The refused .exe left no file behind either.
    expect(
      h.app.store.sqlite.query('SELECT count(*) AS n FROM files WHERE owner_seller_id = ?').get(seller.id),
    ).toEqual({
      n: 0,
    });
  });

  test('/cancel at every step, or Discard at the preview: no product', async () => {
    const user = h.fake.user();
    const seller = newSeller(user);
    for (const step of ['title', 'description', 'category', 'price', 'stars', 'cover', 'file', 'preview'] as const) {
      await courseUpTo(user, step);
      await user.send('/cancel');
      await user.waitForMessage('OK, cancelled.');
    }
    await courseUpTo(user, 'preview');
    await user.send('✖️ Discard');
    await user.waitForMessage('Course discarded: nothing was published.');
    expect(productsOf(seller.id)).toEqual([]);
  });

  test('not a seller: pointed to /sell; a French seller is asked in French', async () => {
    const stranger = h.fake.user();
    await stranger.send('/newcourse');
    await stranger.waitForMessage('You are not a seller yet. Type /sell to become one.');
    const french = h.fake.user({ language_code: 'fr' });
    newSeller(french);
    await french.send('/newcourse');
    await french.waitForMessage(/Le titre de la formation/);
    await french.send('Cuisine facile');
    await french.waitForMessage(/Sa description/);
  });
});
