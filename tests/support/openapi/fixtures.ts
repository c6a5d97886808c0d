import fc from 'fast-check';
import { signIpn } from '../../../src/modules/payments/nowpayments/signature.ts';
import { systemClock } from '../../../src/lib/clock.ts';
import { ADMIN_KEY, buy, eventually, NP_SECRET, startShop, type Shop } from '../app.ts';
import { invoiceFor } from '../buying.ts';
import type { Document, Hints, Late, Planner, Text } from './requests.ts';
import { adminHints } from './admin-fixtures.ts';
import { schemaValidator } from './schema-values.ts';

// Valid addresses with their checksums (the sellers module checks them).
const BTC_ADDRESS = 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq';
const ETH_ADDRESS = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed';

const late = (label: string, make: Late['late']): Late => ({ late: make, label });

export interface WalkFixture {
  shop: Shop;
  doc: Document;
  planner: Planner;
  /** By operationId. */
  hints: Record<string, Hints>;
}

/**
 * The shop the walk runs against (the app with the fake NOWPayments) and what it knows
 * beyond the schemas: keys, products (one to edit, one to take off sale, one sold with a
 * file), a started payment, a signed IPN, a download token, fresh upload tokens and keys, an
 * order paid by an e-mail buyer with its order token.
 */
export async function startWalkFixture(tooLargeBytes: number): Promise<WalkFixture> {
  // The bot on (the fake Telegram, real time): Stars payments, and refundStarPayment for the walk's.
  const shop = await startShop({ telegram: true, clock: systemClock });
  const { provider } = shop;
  const doc = (await (await fetch(`${shop.url}/swagger/json`)).json()) as Document;
  const seller = await shop.sellerKey('Walk Academy');
  const api = async <T>(method: string, path: string, body?: unknown, key = seller.key) => {
    const response = await shop.call(method, path, { key, body });
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (response.status === 204 ? null : await response.json()) as T;
  };
  const slugs = (await api<{ slug: string }[]>('GET', '/api/categories')).map((c) => c.slug);
  const lesson = new TextEncoder().encode('Lesson one: what a wallet is.\nLesson two: fees.\n');
  const file = (await (
    await fetch(`${shop.url}/api/upload?filename=lesson.txt`, {
      method: 'POST',
      headers: { authorization: `Bearer ${seller.key}` },
      body: lesson,
    })
  ).json()) as { file_id: string };
  const course = (title: string, extra: Record<string, unknown> = {}) =>
    api<{ id: string }>('POST', '/api/products', {
      title,
      description: 'A course made for the OpenAPI walk.',
      price_cents: 2500,
      category: slugs[0],
      ...extra,
    });
  const [mine, doomed, sold, deleted] = [
    await course('Edited course'),
    await course('Doomed course'),
    await course('Sold course', { file_id: file.file_id }),
    await course('Deleted course'),
  ];
  // A cover on the sold course (GET /api/products/{id}/cover serves it); `mine` gets and loses one.
  const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, ...new Array(200).fill(5)]);
  const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Array(200).fill(6)]);
  const covered = await fetch(`${shop.url}/api/seller/courses/${sold.id}/cover`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${seller.key}`, 'content-type': 'image/jpeg' },
    body: jpeg,
  });
  if (covered.status !== 200) throw new Error(`PUT cover: ${covered.status} ${await covered.text()}`);
  const { app } = shop;
  const buyer = app.users.upsertTelegram({ telegramId: 4242, firstName: 'Bea', languageCode: 'en' });
  const { order } = app.orders.create({ buyerId: buyer.id, productId: sold.id, method: 'crypto' });
  app.orders.transition(order.id, { to: 'paid', actor: 'test' });
  const token = app.downloads.createDownloadLink(buyer.id, sold.id).token;
  const payment = await buy(shop);
  // An order paid in part, for an admin to accept.
  const partial = await buy(shop, { pay_currency: 'eth', email: 'partial@example.com' });
  const paidPart = Number(provider.payment(partial.payment_id)!.pay_amount) / 2;
  if ((await provider.advance(partial.payment_id, 'partially_paid', { actuallyPaid: paidPart })) !== 200)
    throw new Error('partial IPN refused');
  const ipn = JSON.stringify(provider.ipnPayload(payment.payment_id));
  // Another partial payment to refuse, a paid order whose delivery died (no file), a flagged event.
  const refusable = await buy(shop, { pay_currency: 'eth', email: 'refused@example.com' });
  const refusedPart = Number(provider.payment(refusable.payment_id)!.pay_amount) / 2;
  if ((await provider.advance(refusable.payment_id, 'partially_paid', { actuallyPaid: refusedPart })) !== 200)
    throw new Error('partial IPN refused');
  const stuck = app.orders.create({ buyerId: buyer.id, productId: shop.productId, method: 'crypto' }).order;
  app.orders.transition(stuck.id, { to: 'paid', actor: 'test' });
  const flagged = await buy(shop, { email: 'flagged@example.com' });
  await provider.sendIpn(flagged.payment_id, { payment_status: 'finished', actually_paid: 1e-8, price_amount: 0.01 });
  const flaggedId = app.admin.paymentFlags.list().find((e) => e.payment_id === flagged.payment_id)!.id;
  // A Stars order paid twice (both checkouts passed before either charge): its second charge, to give back.
  const payer = shop.fake.user({ language_code: 'en' });
  const invoices = [await invoiceFor(payer, shop.productId), await invoiceFor(payer, shop.productId)];
  const charges = await Promise.all(invoices.map((invoice) => payer.pay({ messageId: invoice.message_id })));
  const second = charges[1]!;
  if (!second.ok) throw new Error('the second Stars charge was refused');
  const doubleCharge = () =>
    app.admin.paymentFlags
      .list()
      .find(
        (e) => e.payment_id === second.successful_payment.telegram_payment_charge_id && e.flag === 'double_payment',
      );
  await eventually(() => doubleCharge() !== undefined, 'the second Stars charge flagged double_payment');
  const doubled = doubleCharge()!;
  // An e-mail buyer's order, paid: its token opens the order and a fresh download link.
  const emailed = await buy(shop, { product_id: sold.id, email: 'walk@example.com' });
  if ((await provider.advance(emailed.payment_id, 'finished')) !== 200) throw new Error('finished IPN refused');
  const orderToken = fc.constant<Text>(emailed.order_token);
  // The sold course credited the seller more than PAYOUT_MIN: with an address, a payout can be asked.
  await app.sellers.profiles.update(seller.sellerId, { payout_network: 'BTC', payout_address: BTC_ADDRESS });
  // An e-mail with a code waiting (the walk of POST /api/seller/me/email/verify types it).
  await app.sellers.profiles.update(seller.sellerId, { email: 'walk@example.com' });

  const uploadToken = late('a fresh upload link token', () => app.files.createUploadLink(seller.sellerId).token);
  const planner: Planner = {
    check: schemaValidator(),
    credentials: {
      bearerAuth: fc.constantFrom<Text>(ADMIN_KEY, seller.key),
      uploadToken: fc.constant(uploadToken),
      uploadTokenQuery: fc.constant(uploadToken),
      orderToken,
      orderTokenQuery: orderToken,
    },
    unknownKey: 'tbk_UNKNOWN2_3T833AM67ZFAW9VS7YC39FEZ5JBG5AN7',
    tooLargeBytes,
  };
  const products = fc.constantFrom<Text>(shop.productId, mine.id, sold.id, sold.id.toLowerCase());
  const category = fc.constantFrom(...slugs);
  const admin = await adminHints(shop, async (key) => {
    const made = await api<{ id: string }>(
      'POST',
      '/api/products',
      {
        title: 'Walk admin course',
        description: 'A course made for the OpenAPI walk.',
        price_cents: 2500,
        category: slugs[0],
      },
      key,
    );
    return made.id;
  });
  const hints = {
    ...admin,
    listProducts: {
      params: {
        category,
        q: fc.constantFrom('bitcoin', 'course', 'TBF'),
        seller: fc.constant(String(seller.sellerId)),
      },
    },
    getProduct: { params: { id: products } },
    listProductReviews: { params: { id: products } },
    createProduct: {
      body: fc.record(
        {
          title: fc.constantFrom('Bitcoin basics', 'Wallets 101'),
          description: fc.constant('Everything about wallets, fees and keys.'),
          price_cents: fc.integer({ min: 1, max: 100_000 }),
          category,
          file_id: fc.constant(file.file_id),
        },
        { requiredKeys: ['title', 'description', 'price_cents', 'category'] },
      ),
    },
    updateProduct: {
      params: { id: fc.constant(mine.id) },
      body: fc.constantFrom(
        { price_cents: 3900 },
        { title: 'Edited again' },
        { category: slugs[1] },
        { status: 'active' },
        { file_id: file.file_id },
      ),
    },
    deactivateProduct: { params: { id: fc.constant(doomed.id) } },
    deleteSellerCourse: { params: { id: fc.constant(deleted.id) } },
    setCourseCover: { params: { id: fc.constant(mine.id) }, body: fc.constantFrom(jpeg, png) },
    deleteCourseCover: { params: { id: fc.constant(mine.id) } },
    getProductCover: { params: { id: fc.constantFrom<Text>(sold.id, sold.id.toLowerCase()) } },
    listSellerCourses: { params: { page: fc.constantFrom('0', '1'), limit: fc.constantFrom('2', '20') } },
    createApiKey: {
      body: fc.constantFrom(
        { role: 'seller', seller_name: 'Walk Two' },
        { role: 'admin', label: 'ops' },
        { role: 'seller', seller_id: seller.sellerId },
      ),
    },
    revokeApiKey: {
      params: {
        id: fc.constant(
          late(
            'a fresh key id',
            async () => (await api<{ id: string }>('POST', '/api/admin/api-keys', { role: 'admin' }, ADMIN_KEY)).id,
          ),
        ),
      },
    },
    createPayment: {
      body: fc.record(
        {
          product_id: fc.constantFrom(shop.productId, sold.id),
          pay_currency: fc.constantFrom('btc', 'eth', 'usdttrc20'),
          email: fc.constantFrom('buyer@example.com', 'other@example.org'),
        },
        { requiredKeys: ['product_id', 'pay_currency'] },
      ),
    },
    getPayment: { params: { id: fc.constant(payment.payment_id) } },
    receiveNowPaymentsIpn: {
      body: fc.constant(ipn),
      params: {
        'x-nowpayments-sig': fc.constant(
          late('the signature of the body', (body) => {
            try {
              return signIpn(JSON.parse(String(body)), NP_SECRET);
            } catch {
              return 'not-a-signature';
            }
          }),
        ),
      },
    },
    downloadFile: { params: { token: fc.constantFrom(token, `${token.slice(0, -2)}xx`) } },
    uploadFile: { params: { filename: fc.constantFrom('notes.txt', 'lesson.md') }, body: fc.constant(lesson) },
    listOrders: {
      params: {
        product_id: fc.constant(shop.productId),
        user: fc.constantFrom<Text>('@walker', 'walk@example.com', '4242'),
        order_id: fc.constant(stuck.id),
      },
    },
    refusePartialPayment: {
      params: { id: fc.constant(refusable.order_id) },
      body: fc.constant({ reason: 'walk check' }),
    },
    redeliverOrder: { params: { id: fc.constant(stuck.id) } },
    markPaymentEventHandled: { params: { id: fc.constant(String(flaggedId)) }, body: fc.constant({ note: 'walk' }) },
    refundFlaggedStarsCharge: { params: { id: fc.constant(String(doubled.id)) } },
    acceptPartialPayment: { params: { id: fc.constant(partial.order_id) } },
    cancelOrder: { params: { id: fc.constant(payment.order_id) } },
    updateSellerProfile: {
      body: fc.constantFrom(
        { display_name: 'Walk Academy', bio: 'Courses for the walk.' },
        { email: 'walk@example.com' },
        { payout_network: 'ETH', payout_address: ETH_ADDRESS },
        { payout_network: 'BTC', payout_address: BTC_ADDRESS },
      ),
    },
    // The code last e-mailed to the seller, read when the request is sent (the walk of the PATCH may send newer ones).
    verifySellerEmailCode: {
      body: fc.constant({
        get code() {
          const codes = shop.smtp.messages
            .filter((m) => m.envelope.to.includes('walk@example.com'))
            .map((m) => /(\d{6})/.exec(m.parsed.subject ?? '')?.[1])
            .filter((code) => code !== undefined);
          return codes.at(-1) ?? '000000';
        },
      }),
    },
    listSellerSales: { params: { product_id: fc.constant(sold.id), limit: fc.constant('10') } },
    requestSellerPayout: { body: fc.constantFrom({}, { amount_cents: 2000 }) },
    getOrderByToken: { params: { id: fc.constant(emailed.order_id) } },
    downloadOrderByToken: { params: { id: fc.constant(emailed.order_id) } },
  } satisfies Record<string, Hints>;
  return { shop, doc, planner, hints };
}
