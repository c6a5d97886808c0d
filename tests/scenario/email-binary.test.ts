/**
 * An e-mail buyer's journey on the COMPILED BINARY: `dist/techbot serve` in an empty directory, a
 * real SMTP server on 127.0.0.1 (STARTTLS on a self-signed certificate the binary trusts
 * through NODE_EXTRA_CA_CERTS, AUTH) and the fake NOWPayments. An API purchase with an e-mail,
 * a signed `finished` IPN, exactly one receipt whose link downloads the uploaded bytes.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeNowPayments } from '../fakes/nowpayments.ts';
import { startFakeSmtp, testCertificate } from '../fakes/smtp.ts';
import { freePort, NP_KEY, NP_SECRET, SMTP_AUTH } from '../support/app.ts';
import { tempDir } from '../support/env.ts';
import { call, ensureBinary, startBinary } from './binary.ts';

const ADMIN_KEY = 'admin-key-for-the-email-binary-0123456789';
const sha256 = (bytes: Uint8Array) => new Bun.CryptoHasher('sha256').update(bytes).digest('hex');

beforeAll(() => ensureBinary(), 120_000);
const cleanups: (() => unknown)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

test('the binary e-mails the receipt of an API purchase; its link downloads the uploaded course', async () => {
  const certificate = testCertificate();
  if (!certificate) throw new Error('openssl is needed for the SMTP server certificate');
  const smtp = await startFakeSmtp({ mode: 'starttls', auth: SMTP_AUTH, certificate });
  cleanups.push(() => smtp.stop());
  const provider = startFakeNowPayments({ apiKey: NP_KEY, ipnSecret: NP_SECRET });
  cleanups.push(() => provider.stop());
  const dir = tempDir('techbot-email-binary-');
  cleanups.push(() => dir.cleanup());
  const caFile = join(dir.path, 'smtp-ca.pem');
  writeFileSync(caFile, certificate.cert);
  const port = await freePort();
  const binary = await startBinary(dir.path, {
    DATA_DIR: join(dir.path, 'data'),
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    ADMIN_API_KEY: ADMIN_KEY,
    NOWPAYMENTS_API_KEY: NP_KEY,
    NOWPAYMENTS_IPN_SECRET: NP_SECRET,
    NOWPAYMENTS_API_URL: provider.url,
    SMTP_SERVER: smtp.host,
    SMTP_PORT: String(smtp.port),
    SMTP_EMAIL: SMTP_AUTH.user,
    SMTP_PASSWORD: SMTP_AUTH.password,
    SMTP_FROM: 'TechBot Shop <shop@techbot.test>',
    NODE_EXTRA_CA_CERTS: caFile,
    RATE_LIMIT_REQUESTS: '1000',
  });
  cleanups.push(async () => {
    binary.proc.kill('SIGTERM');
    await binary.proc.exited;
  });
  const url = binary.url;
  try {
    const seller = await call<{ key: string }>(url, 'POST', '/api/admin/api-keys', ADMIN_KEY, {
      role: 'seller',
      seller_name: 'Ada',
    });
    const bytes = new Uint8Array([
      ...new TextEncoder().encode('%PDF-1.5\n'),
      ...crypto.getRandomValues(new Uint8Array(48 * 1024)),
    ]);
    const uploaded = await call<{ file_id: string }>(url, 'POST', '/api/upload?filename=course.pdf', seller.key, bytes);
    const product = await call<{ id: string }>(url, 'POST', '/api/products', seller.key, {
      title: 'Bitcoin from zero',
      description: 'Wallets, fees and self-custody, step by step.',
      price_cents: 4900,
      category: 'finance-crypto',
      file_id: uploaded.file_id,
    });
    const payment = await call<{ payment_id: string; order_id: string; order_token: string }>(
      url,
      'POST',
      '/api/payment',
      undefined,
      {
        product_id: product.id,
        pay_currency: 'btc',
        email: 'buyer@example.com',
      },
    );
    expect(await provider.advance(payment.payment_id, 'finished')).toBe(200);
    const [mail] = await smtp.waitForMessages(1, 15_000);
    expect(mail!.secure).toBe(true);
    expect(mail!.envelope.to).toEqual(['buyer@example.com']);
    const link = /https?:\/\/\S+\/api\/downloads\/\S+/.exec(mail!.parsed.text!)![0];
    const downloaded = new Uint8Array(await (await fetch(link)).arrayBuffer());
    expect(sha256(downloaded)).toBe(sha256(bytes));
    const deadline = Date.now() + 10_000;
    let status = '';
    while (Date.now() < deadline) {
      status = (
        await call<{ status: string }>(url, 'GET', `/api/orders/${payment.order_id}?token=${payment.order_token}`)
      ).status;
      if (status === 'delivered') break;
      await Bun.sleep(50);
    }
    expect(status).toBe('delivered');
    expect(smtp.messages).toHaveLength(1);
    const ready = (await (await fetch(`${url}/ready`)).json()) as { components: Record<string, { status: string }> };
    expect(ready.components.smtp?.status).toBe('up');
  } catch (error) {
    throw new Error(`${String(error)}\nbinary output:\n${binary.output.stdout.slice(-4000)}`);
  }
}, 90_000);
