/**
 * /mycourses: a seller's courses, paged, each with its state and sales; off and back on sale
 * (gone from and back in the API's cached list and search at once); share links that /start
 * opens; delete (confirmed; buyers keep access); only the course's own seller can act, whatever
 * the button says. In process.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { cb } from '../../../src/bot/keyboards/callback-data.ts';
import { createTestBot, type TestBot } from '../../support/bot.ts';
import { newSeller } from '../../support/new-course.ts';
import type { TelegramUser } from '../../support/telegram-user.ts';

let h: TestBot;
beforeAll(() => {
  h = createTestBot({ env: { PLATFORM_FEE_PERCENT: '10' } });
});
afterAll(() => h.stop());

function publish(sellerId: number, title: string, priceCents = 4900) {
  const product = h.app.sellers.publishCourse(sellerId, {
    title,
    description: 'A practical course with exercises.',
    price_cents: priceCents,
    category: 'business',
  });
  h.clock.advance(1000);
  return product;
}

/** The ids the public API lists for a search, through its cache (what GET /api/products answers). */
async function searched(q: string): Promise<string[]> {
  const page = JSON.parse(await h.app.catalog.json.products({ q })) as { items: { id: string }[] };
  return page.items.map((p) => p.id);
}

async function openCourse(user: TelegramUser, title: string) {
  await user.send('/mycourses');
  await user.waitForMessage(/Your courses/);
  await user.tap(new RegExp(title));
  return user.waitForMessage(/Sales:/);
}

describe('bot: /mycourses', () => {
  test('paged by 8 with each state; the seller home has the button', async () => {
    const user = h.fake.user();
    const seller = newSeller(h, user);
    const ids = Array.from({ length: 10 }, (_, i) => publish(seller.id, `Paged lesson ${i + 1}`).id);
    h.app.sellers.courses.setOnSale(seller.id, ids[9]!, false);
    await user.send('/sell');
    await user.waitForMessage(/seller/);
    await user.tap('📚 My courses');
    const first = await user.waitForMessage(/Your courses/);
    expect(first.text).toContain('Your courses (10)');
    expect(first.text).toContain('Page 1 of 2');
    const courses = () => user.buttons().filter((b) => /Paged lesson/.test(b));
    expect(courses()).toHaveLength(8);
    expect(courses()[0]).toBe('⏸ Paged lesson 10 · $49.00');
    expect(courses()[1]).toBe('🟢 Paged lesson 9 · $49.00');
    await user.tap('Next ▶️');
    await user.waitForMessage(/Page 2 of 2/);
    expect(courses()).toEqual(['🟢 Paged lesson 2 · $49.00', '🟢 Paged lesson 1 · $49.00']);
    expect(user.buttons()).toContain('◀️ Previous');
    expect(user.buttons()).not.toContain('Next ▶️');
  });

  test('a course shows its sales: count, revenue, the seller share', async () => {
    const user = h.fake.user();
    const seller = newSeller(h, user);
    const product = publish(seller.id, 'Sold twice course');
    publish(seller.id, 'Never sold course');
    for (const n of [1, 2]) await h.own(h.fake.user({ first_name: `Buyer${n}` }), product.id, { file: false });
    const card = await openCourse(user, 'Sold twice');
    expect(card.text).toContain(`Sold twice course (${product.id})`);
    expect(card.text).toContain('On sale');
    expect(card.text).toContain('Sales: 2 · revenue $98.00 · your share $88.20');
    await user.tap('⬅️ My courses');
    await user.waitForMessage(/Your courses \(2\)/);
    await user.tap(/Never sold/);
    expect((await user.waitForMessage(/Sales:/)).text).toContain('Sales: 0 · revenue $0.00 · your share $0.00');
  });

  test('take off sale and put back: out of and back in the cached API list and search at once', async () => {
    const user = h.fake.user();
    const seller = newSeller(h, user);
    const product = publish(seller.id, 'Quokka photography basics');
    expect(await searched('quokka')).toEqual([product.id]);
    await openCourse(user, 'Quokka');
    await user.tap('⏸ Take off sale');
    expect((await user.callbackAnswer()).text).toBe('Taken off sale.');
    await user.waitForMessage(/Off sale/);
    expect(await searched('quokka')).toEqual([]);
    expect(user.buttons()).toContain('▶️ Put back on sale');
    await user.tap('▶️ Put back on sale');
    await user.waitForMessage(/On sale/);
    expect(await searched('quokka')).toEqual([product.id]);
  });

  test('share: the course deep link and the shop link, both opened by /start', async () => {
    const user = h.fake.user();
    const seller = newSeller(h, user, 'Shop Of Lessons');
    const product = publish(seller.id, 'Shared origami course');
    await openCourse(user, 'Shared origami');
    await user.tap('🔗 Share');
    const shared = await user.waitForMessage(/Your shop/);
    const bot = h.fake.botInfo.username;
    const courseLink = `https://t.me/${bot}?start=p_${product.id}`;
    const shopLink = `https://t.me/${bot}?start=s_${seller.id}`;
    expect(shared.text).toContain(courseLink);
    expect(shared.text).toContain(shopLink);
    const buyer = h.fake.user();
    await buyer.send(`/start ${courseLink.split('start=')[1]}`);
    await buyer.waitForMessage(/Shared origami course/);
    await buyer.send(`/start ${shopLink.split('start=')[1]}`);
    await buyer.waitForMessage(/Shop Of Lessons/);
    expect(buyer.buttons().some((b) => b.startsWith('Shared origami course'))).toBe(true);
  });

  test('delete: confirmed first; gone from the catalog and the list; a buyer still downloads it', async () => {
    const user = h.fake.user();
    const seller = newSeller(h, user);
    const product = publish(seller.id, 'Wombat care handbook');
    const buyer = h.fake.user();
    const { file } = await h.own(buyer, product.id);
    await openCourse(user, 'Wombat');
    await user.tap('🗑 Delete');
    await user.waitForMessage(/Buyers keep their access/);
    expect(await searched('wombat')).toEqual([product.id]);
    await user.tap('🗑 Yes, delete');
    expect((await user.callbackAnswer()).text).toBe('Course deleted.');
    const list = await user.waitForMessage(/Your courses \(0\)/);
    expect(list.text).toContain('no course yet');
    expect(await searched('wombat')).toEqual([]);
    expect(h.app.sellers.courses.page(seller.id, 0, 8).total).toBe(0);
    expect(() =>
      h.app.catalog.updateProduct({ role: 'seller', keyId: 'k', sellerId: seller.id }, product.id, {
        status: 'active',
      }),
    ).toThrow(/not found/);

    await buyer.send('/library');
    await buyer.waitForMessage(/My library/);
    await buyer.tap('📘 Wombat care handbook');
    await buyer.waitForMessage(/Wombat care handbook/);
    await buyer.tap('⬇️ Download again');
    await h.fake.idle();
    expect(buyer.documents()).toHaveLength(2);
    expect(buyer.documents().at(-1)!.sha256).toBe(file!.sha256);
  });

  test('a forged button for another seller course does nothing', async () => {
    const owner = h.fake.user();
    const ownerSeller = newSeller(h, owner);
    const product = publish(ownerSeller.id, 'Not yours course');
    const intruder = h.fake.user();
    newSeller(h, intruder, 'Intruder');
    await intruder.send('/mycourses');
    await intruder.waitForMessage(/Your courses/);
    for (const action of ['off', 'delok', 'del', 'share', 'edit'] as const) {
      intruder.pressData(cb.myCourseAct.pack({ action, id: product.id, page: 0 }));
      expect((await intruder.callbackAnswer()).text).toBe('This course no longer exists.');
    }
    intruder.pressData(cb.myCourse.pack({ id: product.id, page: 0 }));
    expect((await intruder.callbackAnswer()).text).toBe('This course no longer exists.');
    intruder.pressData(cb.myCourseEdit.pack({ field: 'title', id: product.id }));
    expect((await intruder.callbackAnswer()).text).toBe('This course no longer exists.');
    expect(await searched('yours')).toEqual([product.id]);
    expect(h.app.catalog.getProduct(product.id)).toMatchObject({ status: 'active', title: 'Not yours course' });
    // Not a seller at all: told so.
    const stranger = h.fake.user();
    await stranger.send('/mycourses');
    await stranger.waitForMessage('You are not a seller yet. Type /sell to become one.');
  });

  test('a course taken down by the operator: marked, not editable nor put on sale, still deletable', async () => {
    const user = h.fake.user();
    const seller = newSeller(h, user);
    const product = publish(seller.id, 'Banned topic course');
    h.app.store.sqlite.run("UPDATE products SET status = 'banned', status_reason = 'spam' WHERE id = ?", [product.id]);
    await user.send('/mycourses');
    await user.waitForMessage(/Your courses \(1\)/);
    expect(user.buttons()[0]).toBe('⛔ Banned topic course · $49.00');
    await user.tap(/Banned topic/);
    await user.waitForMessage(/Taken down by the operator/);
    expect(user.buttons()).toEqual(['🔗 Share', '🗑 Delete', '⬅️ My courses']);
    for (const data of [
      cb.myCourseAct.pack({ action: 'on', id: product.id, page: 0 }),
      cb.myCourseEdit.pack({ field: 'price', id: product.id }),
    ]) {
      user.pressData(data);
      expect((await user.callbackAnswer()).text).toBe(
        '⛔ This course was taken down by the operator: it cannot be changed.',
      );
    }
    expect(h.app.store.sqlite.query('SELECT status FROM products WHERE id = ?').get(product.id)).toEqual({
      status: 'banned',
    });
    await user.tap('🗑 Delete');
    await user.waitForMessage(/Buyers keep their access/);
    await user.tap('🗑 Yes, delete');
    await user.waitForMessage(/Your courses \(0\)/);
  });

  test('in French', async () => {
    const user = h.fake.user({ language_code: 'fr' });
    const seller = newSeller(h, user);
    publish(seller.id, 'Cuisine du monde');
    await user.send('/mycourses');
    await user.waitForMessage(/Vos formations \(1\)/);
    await user.tap(/Cuisine du monde/);
    const card = await user.waitForMessage(/Ventes/);
    expect(card.text).toContain('En vente');
    expect(user.buttons()).toContain('⏸ Retirer de la vente');
  });
});
