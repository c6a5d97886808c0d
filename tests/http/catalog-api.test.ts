import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { ADMIN_KEY, fakeClock, startTestApp, type TestApp } from '../support/app.ts';

const course = {
  title: 'Bitcoin from zero',
  description: 'Wallets, fees and self-custody.',
  price_cents: 4900,
  category: 'finance-crypto',
};

describe('catalog API', () => {
  let running: TestApp;
  let seller: { key: string; sellerId: number };
  beforeAll(async () => {
    running = await startTestApp();
    seller = await running.sellerKey();
  });
  afterAll(() => running.stop());

  test('create, read back by id in any case, update, take off sale', async () => {
    const created = await running.call('POST', '/api/products', { key: seller.key, body: course });
    expect(created.status).toBe(201);
    const product = (await created.json()) as { id: string; price_cents: number; seller: { id: number } };
    expect(product.seller.id).toBe(seller.sellerId);
    const read = await running.call('GET', `/api/products/${product.id.toLowerCase()}`);
    expect(((await read.json()) as { id: string }).id).toBe(product.id);

    const patched = await running.call('PATCH', `/api/products/${product.id}`, {
      key: seller.key,
      body: { price_cents: 3900 },
    });
    expect(patched.status).toBe(200);
    const fresh = (await (await running.call('GET', `/api/products/${product.id}`)).json()) as { price_cents: number };
    expect(fresh.price_cents).toBe(3900);

    const removed = await running.call('DELETE', `/api/products/${product.id}`, { key: seller.key });
    expect(((await removed.json()) as { status: string }).status).toBe('inactive');
    expect((await running.call('GET', `/api/products/${product.id}`)).status).toBe(404);
  });

  test('no stale list or count after a write (cached reads are invalidated)', async () => {
    const count = async () => {
      const list = (await (await running.call('GET', '/api/categories')).json()) as {
        slug: string;
        product_count: number;
      }[];
      return list.find((c) => c.slug === 'marketing-digital')!.product_count;
    };
    const before = await count();
    const listed = async () =>
      ((await (await running.call('GET', '/api/products?category=marketing-digital')).json()) as { items: unknown[] })
        .items.length;
    const itemsBefore = await listed();
    await running.call('POST', '/api/products', {
      key: seller.key,
      body: { ...course, category: 'marketing-digital' },
    });
    expect(await count()).toBe(before + 1);
    expect(await listed()).toBe(itemsBefore + 1);
  });

  test('errors share one JSON shape with the right status', async () => {
    const shape = async (response: Response, status: number, code: string) => {
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toContain('application/json');
      const body = (await response.json()) as { error: { code: string; message: string; details: unknown } };
      expect(body.error.code).toBe(code);
      expect(body.error.message.length).toBeGreaterThan(5);
      expect(JSON.stringify(body)).not.toContain('    at ');
      return body.error;
    };
    await shape(await running.call('GET', '/nowhere'), 404, 'not_found');
    await shape(await running.call('POST', '/api/products', { body: course }), 401, 'unauthorized');
    await shape(await running.call('POST', '/api/products', { key: 'tbk_NOPE_x', body: course }), 401, 'unauthorized');
    await shape(
      await running.call('POST', '/api/admin/api-keys', { key: seller.key, body: { role: 'admin' } }),
      403,
      'forbidden',
    );
    const invalid = await shape(
      await running.call('POST', '/api/products', { key: seller.key, body: { title: 'x', price_cents: -5 } }),
      422,
      'validation_failed',
    );
    expect((invalid.details as { field: string }[]).map((d) => d.field).sort()).toEqual([
      'category',
      'description',
      'price_cents',
      'title',
    ]);
    const malformed = await fetch(`${running.url}/api/products`, {
      method: 'POST',
      headers: { authorization: `Bearer ${seller.key}`, 'content-type': 'application/json' },
      body: '{"title": ',
    });
    await shape(malformed, 400, 'bad_request');
    await shape(await running.call('GET', '/api/products?cursor=bogus'), 400, 'bad_request');
    await shape(await running.call('GET', '/api/products?category=unknown'), 404, 'not_found');
  });

  test('a revoked key stops working; another seller cannot touch the product', async () => {
    const other = await running.sellerKey('Other shop');
    const created = (await (await running.call('POST', '/api/products', { key: seller.key, body: course })).json()) as {
      id: string;
    };
    const stolen = await running.call('PATCH', `/api/products/${created.id}`, {
      key: other.key,
      body: { price_cents: 1 },
    });
    expect(stolen.status).toBe(403);
    const keyId = other.key.split('_')[1];
    expect((await running.call('DELETE', `/api/admin/api-keys/${keyId}`, { key: ADMIN_KEY })).status).toBe(204);
    expect((await running.call('DELETE', `/api/admin/api-keys/${keyId}`, { key: ADMIN_KEY })).status).toBe(404);
    expect((await running.call('POST', '/api/products', { key: other.key, body: course })).status).toBe(401);
  });
});

describe('rate limiting', () => {
  test('the 16th request in a window gets 429 with Retry-After; another key is unaffected; after the window it passes', async () => {
    const clock = fakeClock();
    const running = await startTestApp({ env: { RATE_LIMIT_REQUESTS: '15', RATE_LIMIT_WINDOW: '60' }, clock });
    try {
      const a = await running.sellerKey('Shop A');
      const b = await running.sellerKey('Shop B');
      const get = (key: string) => running.call('GET', '/api/categories', { key });
      for (let i = 1; i <= 15; i++) {
        const ok = await get(a.key);
        expect(ok.status).toBe(200);
        expect(ok.headers.get('ratelimit-remaining')).toBe(String(15 - i));
      }
      const refused = await get(a.key);
      expect(refused.status).toBe(429);
      const retryAfter = Number(refused.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(refused.headers.get('ratelimit-limit')).toBe('15');
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
      expect((await get(b.key)).status).toBe(200);
      expect((await running.call('GET', '/health')).status).toBe(200);

      clock.advance(retryAfter * 1000);
      expect((await get(a.key)).status).toBe(200);
      const metrics = await (await running.call('GET', '/metrics')).text();
      expect(metrics).toContain('rate_limited_requests_total{scope="api"} 1');
    } finally {
      await running.stop();
    }
  });
});
