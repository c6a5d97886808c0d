import { dirname } from 'node:path';
import { IPN_PATH } from '../../src/http/routes/payments.ts';
import { startFakeNowPayments, type FakeNowPayments, type FakePayment } from '../fakes/nowpayments.ts';
import { attachCourseFile, type CourseFile } from '../support/course-file.ts';
import { NP_KEY, NP_SECRET } from '../support/shop.ts';
import { startBotApp, type BotHarness, type HarnessOptions } from './harness.ts';

export interface BuyShop {
  h: BotHarness;
  provider: FakeNowPayments;
  /** The app's IPN route: the app runs without PUBLIC_URL (polling), so it names no callback itself. */
  ipnUrl(): string;
  /** A product with a real course file (random bytes, PDF). */
  course(input?: Parameters<BotHarness['product']>[0]): Promise<{ id: string; title: string; file: CourseFile }>;
  /** The provider's payment for an order. */
  paymentOf(orderId: string): FakePayment;
  stop(): Promise<void>;
}

/** The bot tests' app (fake Telegram, polling) with crypto payments through the fake NOWPayments on the same clock. */
export async function startBuyShop(
  options: { minAmounts?: Record<string, number>; harness?: HarnessOptions } = {},
): Promise<BuyShop> {
  let h: BotHarness | undefined;
  const provider = startFakeNowPayments({
    apiKey: NP_KEY,
    ipnSecret: NP_SECRET,
    minAmounts: options.minAmounts,
    clock: { now: () => h?.clock.now() ?? Date.now() },
  });
  h = await startBotApp({
    ...options.harness,
    env: {
      NOWPAYMENTS_API_KEY: NP_KEY,
      NOWPAYMENTS_IPN_SECRET: NP_SECRET,
      NOWPAYMENTS_API_URL: provider.url,
      ...options.harness?.env,
    },
  });
  const harness = h;
  return {
    h: harness,
    provider,
    ipnUrl: () => `${harness.url}${IPN_PATH}`,
    async course(input) {
      const product = await harness.product(input);
      const sqlite = harness.app.store.sqlite;
      const file = await attachCourseFile(dirname(sqlite.filename), sqlite, product.id);
      return { id: product.id, title: product.title, file };
    },
    paymentOf(orderId) {
      const found = provider.payments().find((p) => p.order_id === orderId);
      if (!found) throw new Error(`the provider has no payment for ${orderId}`);
      return found;
    },
    async stop() {
      await harness.stop();
      await provider.stop();
    },
  };
}
