import type { Clock } from '../../src/lib/clock.ts';
import { startFakeNowPayments, type FakeNowPayments } from '../fakes/nowpayments.ts';
import { sellerKey, startApp, type RunningApp } from './app.ts';

export const NP_KEY = 'np-test-api-key';
export const NP_SECRET = 'np-test-ipn-secret';

/** A port nobody listens on right now, so the app's PUBLIC_URL can be known before it starts. */
export async function freePort(): Promise<number> {
  const probe = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response() });
  const port = probe.port!;
  await probe.stop(true);
  return port;
}

export interface Shop {
  running: RunningApp;
  provider: FakeNowPayments;
  productId: string;
  priceCents: number;
  stop(): Promise<void>;
  /** SQL counts the assertions care about. */
  count(table: 'entitlements' | 'ledger_entries' | 'payment_events' | 'order_events', where?: string): number;
  deliverJobs(): number;
  orderStatus(orderId: string): string;
}

/** The whole app with crypto payments through the fake NOWPayments, and one product for sale. */
export async function startShop(clock?: Clock, env: Record<string, string> = {}): Promise<Shop> {
  const provider = await startFakeNowPayments({ apiKey: NP_KEY, ipnSecret: NP_SECRET, clock });
  const port = await freePort();
  const running = await startApp(
    {
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      NOWPAYMENTS_API_KEY: NP_KEY,
      NOWPAYMENTS_IPN_SECRET: NP_SECRET,
      NOWPAYMENTS_API_URL: provider.url,
      ...env,
    },
    clock,
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
    productId: product.id,
    priceCents: product.price_cents,
    count,
    deliverJobs: () => count('jobs', "kind = 'deliver'"),
    orderStatus: (orderId) => (sqlite.query('SELECT status FROM orders WHERE id = ?').get(orderId) as { status: string }).status,
    async stop() {
      await running.stop();
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
