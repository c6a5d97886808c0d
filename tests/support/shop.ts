import type { Clock } from '../../src/lib/clock.ts';
import { startFakeNowPayments, type FakeNowPayments } from '../fakes/nowpayments.ts';
import { sellerKey, startApp, type AppOverrides, type RunningApp } from './app.ts';

export const NP_KEY = 'np-test-api-key';
export const NP_SECRET = 'np-test-ipn-secret';

/** A port nobody listens on right now, so the app's PUBLIC_URL can be known before it starts. */
export async function freePort(): Promise<number> {
  const probe = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response() });
  const port = probe.port!;
  await probe.stop(true);
  return port;
}

/**
 * A real HTTP proxy in front of the fake NOWPayments that can keep an answer back: the request
 * reaches the fake (which acts on it) but the app never hears the answer, as when the network
 * loses it. The app's own timeout then decides.
 */
export interface HoldingProxy {
  readonly url: string;
  /** From now on, answers to `method path` are held until release() (or stop()). */
  hold(method: string, path: string): void;
  release(): void;
  stop(): Promise<void>;
}

export function startHoldingProxy(target: string): HoldingProxy {
  let rule: { method: string; path: string } | null = null;
  let gate = Promise.withResolvers<void>();
  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    async fetch(request) {
      const url = new URL(request.url);
      const headers = new Headers(request.headers);
      headers.delete('host');
      const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.arrayBuffer();
      const upstream = await fetch(`${target}${url.pathname}${url.search}`, { method: request.method, headers, body });
      const answer = await upstream.arrayBuffer();
      if (rule && rule.method === request.method && rule.path === url.pathname) await gate.promise;
      const kept = new Headers();
      for (const name of ['content-type', 'retry-after']) {
        const value = upstream.headers.get(name);
        if (value !== null) kept.set(name, value);
      }
      return new Response(answer, { status: upstream.status, headers: kept });
    },
  });
  const release = () => {
    rule = null;
    gate.resolve();
    gate = Promise.withResolvers<void>();
  };
  return {
    url: `http://127.0.0.1:${server.port}`,
    hold: (method, path) => void (rule = { method, path }),
    release,
    async stop() {
      release();
      await server.stop(true);
    },
  };
}

export interface ShopOptions {
  /** Handed to createApp, e.g. `{ nowpaymentsHttp: { timeoutMs: 200 } }`. */
  app?: AppOverrides;
  /** Put a HoldingProxy between the app and the fake (`shop.proxy`). */
  proxy?: boolean;
}

export interface Shop {
  running: RunningApp;
  provider: FakeNowPayments;
  /** Present when started with `{ proxy: true }`. */
  proxy?: HoldingProxy;
  productId: string;
  priceCents: number;
  stop(): Promise<void>;
  /** SQL counts the assertions care about. */
  count(table: 'entitlements' | 'ledger_entries' | 'payment_events' | 'order_events' | 'payments' | 'orders', where?: string): number;
  deliverJobs(): number;
  orderStatus(orderId: string): string;
}

/** The whole app with crypto payments through the fake NOWPayments, and one product for sale. */
export async function startShop(clock?: Clock, env: Record<string, string> = {}, options: ShopOptions = {}): Promise<Shop> {
  const provider = await startFakeNowPayments({ apiKey: NP_KEY, ipnSecret: NP_SECRET, clock });
  const proxy = options.proxy ? startHoldingProxy(provider.url) : undefined;
  const port = await freePort();
  const running = await startApp(
    {
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      NOWPAYMENTS_API_KEY: NP_KEY,
      NOWPAYMENTS_IPN_SECRET: NP_SECRET,
      NOWPAYMENTS_API_URL: proxy?.url ?? provider.url,
      ...env,
    },
    clock,
    options.app,
  );
  const seller = await sellerKey(running);
  const created = await running.call('POST', '/api/products', {
    key: seller.key,
    body: { title: 'Bitcoin from zero', description: 'Wallets, fees and self-custody.', price_cents: 4900, category: 'finance-crypto' },
  });
  const product = (await created.json()) as { id: string; price_cents: number };
  const sqlite = running.app.store.sqlite;
  const count = (table: string, where = '1') =>
    (sqlite.query(`SELECT count(*) AS n FROM ${table} WHERE ${where}`).get() as { n: number }).n;
  return {
    running,
    provider,
    proxy,
    productId: product.id,
    priceCents: product.price_cents,
    count,
    deliverJobs: () => count('jobs', "kind = 'deliver'"),
    orderStatus: (orderId) => (sqlite.query('SELECT status FROM orders WHERE id = ?').get(orderId) as { status: string }).status,
    async stop() {
      await running.stop();
      await proxy?.stop();
      await provider.stop();
    },
  };
}

export interface StartedPayment {
  payment_id: string;
  order_id: string;
  status: string;
  pay_address: string;
  pay_amount: string;
}

export async function buy(shop: Shop, body: Record<string, unknown> = {}): Promise<StartedPayment> {
  const response = await shop.running.call('POST', '/api/payment', {
    body: { product_id: shop.productId, pay_currency: 'btc', email: 'buyer@example.com', ...body },
  });
  if (response.status !== 201) throw new Error(`POST /api/payment: ${response.status} ${await response.text()}`);
  return (await response.json()) as StartedPayment;
}
