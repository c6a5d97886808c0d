/**
 * The main journey on the COMPILED BINARY: `dist/techbot serve`
 * runs as a child process in an empty directory, talking to the fake Telegram and the fake
 * NOWPayments over real HTTP. A buyer opens a deep link, pays (BTC, then Stars), receives the
 * file, opens the library, downloads it again and reviews it; the API shows the rating.
 *
 * Both transports: long polling (no PUBLIC_URL: the app names no IPN callback, so the fake
 * provider is told where the app's IPN route is) and webhook (PUBLIC_URL = the binary's own
 * address on a port chosen beforehand).
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { startFakeNowPayments, type FakeNowPayments } from '../fakes/nowpayments.ts';
import { startFakeTelegram, type ChatMessage, type FakeTelegram, type TelegramUser } from '../fakes/telegram.ts';
import { freePort, NP_KEY, NP_SECRET } from '../support/app.ts';
import { tempDir } from '../support/env.ts';
import { call, ensureBinary, startBinary, updateHandled, type RunningBinary } from './binary.ts';

const TOKEN = '5550006:AAH-journey_scenario_token';
const ADMIN_KEY = 'admin-key-for-the-journey-0123456789';
const IPN_PATH = '/api/ipn/nowpayments';
const STEP_MS = 10_000;
const JOURNEY_MS = 60_000;

beforeAll(() => ensureBinary(), 120_000);

interface Running {
  telegram: FakeTelegram;
  provider: FakeNowPayments;
  binary: RunningBinary;
  url: string;
  sellerKey: string;
  stop(): Promise<void>;
}

async function start(mode: 'polling' | 'webhook'): Promise<Running> {
  const telegram = await startFakeTelegram({ token: TOKEN });
  const provider = startFakeNowPayments({ apiKey: NP_KEY, ipnSecret: NP_SECRET });
  const dir = tempDir(`techbot-journey-${mode}-`);
  const port = await freePort();
  const binary = await startBinary(dir.path, {
    DATA_DIR: dir.path,
    PORT: String(port),
    ...(mode === 'webhook' ? { PUBLIC_URL: `http://127.0.0.1:${port}` } : {}),
    ADMIN_API_KEY: ADMIN_KEY,
    TELEGRAM_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: telegram.apiRoot,
    NOWPAYMENTS_API_KEY: NP_KEY,
    NOWPAYMENTS_IPN_SECRET: NP_SECRET,
    NOWPAYMENTS_API_URL: provider.url,
    RATE_LIMIT_REQUESTS: '1000',
    LOG_LEVEL: 'debug',
  });
  async function stop() {
    binary.proc.kill('SIGTERM');
    await binary.proc.exited;
    await telegram.stop();
    await provider.stop();
    dir.cleanup();
  }
  // "listening" is logged once the bot has started (polling, or its webhook registered).
  const url = binary.url;
  try {
    const seller = await call<{ key: string }>(url, 'POST', '/api/admin/api-keys', ADMIN_KEY, {
      role: 'seller',
      seller_name: 'Ada Academy',
    });
    return { telegram, provider, binary, url, sellerKey: seller.key, stop };
  } catch (error) {
    await stop();
    throw new Error(`${String(error)}\nbinary output:\n${binary.output.stdout.slice(-4000)}`);
  }
}

/** A PDF (magic bytes, then noise) uploaded through POST /api/upload and attached to a new product. */
async function publishCourse(app: Running, title: string) {
  const bytes = new Uint8Array([
    ...new TextEncoder().encode('%PDF-1.5\n'),
    ...crypto.getRandomValues(new Uint8Array(48 * 1024)),
  ]);
  const sha256 = new Bun.CryptoHasher('sha256').update(bytes).digest('hex');
  const uploaded = await call<{ file_id: string; sha256: string }>(
    app.url,
    'POST',
    '/api/upload?filename=course.pdf',
    app.sellerKey,
    bytes,
  );
  expect(uploaded.sha256).toBe(sha256);
  const product = await call<{ id: string }>(app.url, 'POST', '/api/products', app.sellerKey, {
    title,
    description: 'Wallets, fees and self-custody, step by step.',
    price_cents: 4900,
    category: 'finance-crypto',
    file_id: uploaded.file_id,
  });
  // Found by a search, which the binary runs in its catalog reader worker.
  const found = await call<{ items: { id: string }[] }>(app.url, 'GET', '/api/products?q=self%20cust&sort=newest');
  expect(found.items.map((p) => p.id)).toContain(product.id);
  return { id: product.id, sha256 };
}

const rating = (app: Running, id: string) =>
  call<{ rating: { average: number; count: number } }>(app.url, 'GET', `/api/products/${id}`);
const deliveries = (app: Running, chatId: number) =>
  app.telegram.calls('sendDocument').filter((c) => String(c.params.chat_id) === String(chatId) && c.response.ok);

/** The end of both journeys: /library, download again, a 5-star review with a comment. */
async function libraryAndReview(
  app: Running,
  user: TelegramUser,
  course: { id: string; sha256: string },
  title: string,
) {
  await user.send('/library');
  await user.waitForMessage(/My library/);
  await user.tap(`📘 ${title}`);
  await user.waitForMessage((m) => (m.text ?? '').includes(course.id) && (m.text ?? '').includes(title));
  await user.tap('⬇️ Download again');
  await user.waitForMessage((m) => m.document !== undefined, { timeoutMs: STEP_MS });
  expect(user.documents().map((d) => d.sha256)).toEqual([course.sha256, course.sha256]);

  await user.tap('⭐ Leave a review');
  await user.waitForMessage(/How many stars/);
  await user.tap('⭐⭐⭐⭐⭐');
  await user.waitForMessage(/You gave ⭐⭐⭐⭐⭐/);
  await user.send('Clear, practical, worth every satoshi.');
  await user.waitForMessage(/Your review of .* is saved/);
  expect((await rating(app, course.id)).rating).toEqual({ average: 5, count: 1 });
}

async function openCard(user: TelegramUser, id: string, title: string): Promise<ChatMessage> {
  await user.send(`/start p_${id}`);
  return user.waitForMessage(title, { timeoutMs: STEP_MS });
}

describe.each(['polling', 'webhook'] as const)('the journey on the compiled binary (%s)', (mode) => {
  let app: Running;
  beforeAll(async () => {
    app = await start(mode);
  }, 30_000);
  afterAll(() => app?.stop());

  test(
    'BTC: deep link -> currency -> QR payment message -> IPN -> the same file, a thank-you -> library, download again -> 5-star review -> rating',
    async () => {
      const title = `Bitcoin from zero (${mode})`;
      const course = await publishCourse(app, title);
      const user = app.telegram.user({ first_name: 'Bea', language_code: 'en' });
      await openCard(user, course.id, title);
      await user.tap('💳 Buy with crypto');
      await user.waitForMessage(/Choose the crypto currency/);
      await user.tap('BTC');
      const payment = await user.waitForMessage((m) => m.photo !== undefined, { timeoutMs: STEP_MS });
      expect(payment.caption).toMatch(/Send exactly \d+\.\d+ BTC/);
      expect(payment.caption).toMatch(/Expires in \d+ min/);
      const [pending] = app.provider.payments();
      expect(payment.caption).toContain(pending!.pay_address);
      expect(user.photos()).toHaveLength(1);

      // Polling: no PUBLIC_URL, so no callback was named; webhook: the binary's own IPN route.
      expect(pending!.ipn_callback_url).toBe(mode === 'webhook' ? `${app.url}${IPN_PATH}` : null);
      const sent = await app.provider.advance(
        pending!.payment_id,
        'finished',
        mode === 'webhook' ? {} : { url: `${app.url}${IPN_PATH}` },
      );
      expect(sent).toBe(200);

      await user.waitForMessage((m) => m.document !== undefined, { timeoutMs: STEP_MS });
      expect(user.documents().map((d) => d.sha256)).toEqual([course.sha256]);
      await user.waitForMessage(/Thank you! Enjoy your course/, { timeoutMs: STEP_MS });

      await libraryAndReview(app, user, course, title);
      expect(deliveries(app, user.id)).toHaveLength(2);
    },
    JOURNEY_MS,
  );

  test(
    'Stars: deep link -> invoice -> successful_payment twice -> exactly one delivery -> library, download again -> 5-star review -> rating',
    async () => {
      const title = `Stars course (${mode})`;
      const course = await publishCourse(app, title);
      const user = app.telegram.user({ first_name: 'Stella', language_code: 'en' });
      await openCard(user, course.id, title);
      await user.tap('⭐ Buy with Stars');
      const invoice = await user.waitForMessage((m) => m.invoice !== undefined, { timeoutMs: STEP_MS });
      expect(invoice.invoice?.currency).toBe('XTR');

      const paid = await user.pay({ duplicate: true });
      if (!paid.ok) throw new Error(`checkout refused: ${JSON.stringify(paid)}`);
      await user.waitForMessage('Payment received', { timeoutMs: STEP_MS });
      await user.waitForMessage((m) => m.document !== undefined, { timeoutMs: STEP_MS });
      await user.waitForMessage(/Thank you! Enjoy your course/, { timeoutMs: STEP_MS });
      for (const record of paid.updates) await updateHandled(app.binary, record.update.update_id as number);
      expect(user.documents().map((d) => d.sha256)).toEqual([course.sha256]);
      expect(deliveries(app, user.id)).toHaveLength(1);
      const orders = await call<{ items: { status: string }[] }>(
        app.url,
        'GET',
        `/api/admin/orders?product_id=${course.id}`,
        ADMIN_KEY,
      );
      expect(orders.items.map((o) => o.status)).toEqual(['delivered']);

      await libraryAndReview(app, user, course, title);
    },
    JOURNEY_MS,
  );

  if (mode === 'webhook') {
    test(
      'the binary answers a wrong or missing webhook secret with 401 and handles nothing',
      async () => {
        expect(app.telegram.webhook()?.url).toBe(`${app.url}/telegram/webhook`);
        const update = {
          update_id: 990_001,
          message: { message_id: 1, date: 1_790_000_000, chat: { id: 4243, type: 'private' }, text: '/start' },
        };
        const secrets: Record<string, string>[] = [{ 'x-telegram-bot-api-secret-token': 'wrong-secret' }, {}];
        for (const headers of secrets) {
          const response = await fetch(`${app.url}/telegram/webhook`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...headers },
            body: JSON.stringify(update),
          });
          expect(response.status).toBe(401);
        }
        expect(app.binary.output.stdout).not.toContain('"update_id":990001');
      },
      STEP_MS,
    );
  }
});
