/**
 * GET /api/seller/courses and DELETE /api/seller/courses/{id} (seller key): the key's own courses
 * on sale or not, paged, with their sales; a soft delete that takes the course out of the
 * catalogue and this list while its buyer keeps a working download.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { ADMIN_KEY, fakeClock, startTestApp, type TestApp } from '../support/app.ts';

let h: TestApp;
beforeAll(async () => {
  h = await startTestApp({ env: { PLATFORM_FEE_PERCENT: '10' }, clock: fakeClock(), publicUrl: true });
});
afterAll(() => h.stop());

type Page = {
  items: {
    id: string;
    title: string;
    status: string;
    sales: { sales: number; revenue_cents: number; net_cents: number };
  }[];
  total: number;
};

test('the seller key lists its courses (any status, with sales), paged; another key does not see them', async () => {
  const { key } = await h.sellerKey('Course Lister');
  const sold = await h.product({ seller: 'Course Lister', title: 'Listed and sold', price_cents: 2000 });
  h.clock.advance(1000);
  const off = await h.product({ seller: 'Course Lister', title: 'Listed but off sale' });
  h.clock.advance(1000);
  await h.removeProduct(off.id);
  const buyer = h.app.users.upsertEmail('lister-buyer@example.org');
  const { order } = h.app.orders.create({ buyerId: buyer.id, productId: sold.id, method: 'crypto' });
  h.app.orders.transition(order.id, { to: 'paid', actor: 'test' });

  const page = (await (await h.call('GET', '/api/seller/courses?limit=1', { key })).json()) as Page;
  expect(page.total).toBe(2);
  expect(page.items).toMatchObject([{ id: off.id, status: 'inactive', sales: { sales: 0 } }]);
  const next = (await (await h.call('GET', '/api/seller/courses?limit=1&page=1', { key })).json()) as Page;
  expect(next.items).toMatchObject([
    { id: sold.id, status: 'active', sales: { sales: 1, revenue_cents: 2000, net_cents: 1800 } },
  ]);
  // One page holding both: each course with its own sales (read for the page at once).
  const both = (await (await h.call('GET', '/api/seller/courses?limit=10', { key })).json()) as Page;
  expect(both.items.map((item) => [item.id, item.sales.sales, item.sales.revenue_cents])).toEqual([
    [off.id, 0, 0],
    [sold.id, 1, 2000],
  ]);
  const other = await h.sellerKey('Other Lister');
  expect(((await (await h.call('GET', '/api/seller/courses', { key: other.key })).json()) as Page).total).toBe(0);
  expect((await h.call('GET', '/api/seller/courses', { key: ADMIN_KEY })).status).toBe(403);
  expect((await h.call('GET', '/api/seller/courses')).status).toBe(401);
});

test('delete: 204, gone from the catalogue and the list, 404 after; the buyer still downloads it', async () => {
  const { key } = await h.sellerKey('Course Deleter');
  const course = await h.course({ seller: 'Course Deleter', title: 'Deleted but owned' });
  const buyer = h.app.users.upsertEmail('deleter-buyer@example.org');
  const { order } = h.app.orders.create({ buyerId: buyer.id, productId: course.id, method: 'crypto' });
  h.app.orders.transition(order.id, { to: 'paid', actor: 'test' });

  expect((await h.call('DELETE', `/api/seller/courses/${course.id}`, { key })).status).toBe(204);
  expect((await h.call('GET', `/api/products/${course.id}`)).status).toBe(404);
  expect(((await (await h.call('GET', '/api/seller/courses', { key })).json()) as Page).total).toBe(0);
  expect((await h.call('DELETE', `/api/seller/courses/${course.id}`, { key })).status).toBe(404);
  expect((await h.call('PATCH', `/api/products/${course.id}`, { key, body: { status: 'active' } })).status).toBe(404);

  const link = h.app.downloads.createDownloadLink(buyer.id, course.id);
  const response = await fetch(link.url);
  expect(response.status).toBe(200);
  const bytes = new Uint8Array(await response.arrayBuffer());
  expect(new Bun.CryptoHasher('sha256').update(bytes).digest('hex')).toBe(course.file.sha256);
});
