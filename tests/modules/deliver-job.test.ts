import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { Api } from 'grammy';
import { DOWNLOADS_PATH } from '../../src/http/routes/downloads.ts';
import { createQueue } from '../../src/lib/queue.ts';
import { telegramClient } from '../../src/lib/telegram-grammy.ts';
import { createDownloads } from '../../src/modules/files/downloads.ts';
import { createTelegramDelivery } from '../../src/modules/files/telegram-delivery.ts';
import { MailError } from '../../src/lib/mailer.ts';
import {
  createOrderJobs,
  DELIVER_JOB,
  saleText,
  RECEIPT_JOB,
  type NotifyDelivered,
  type OrderJobsDeps,
} from '../../src/modules/orders/deliver.ts';
import { createOrders } from '../../src/modules/orders/service.ts';
import { createUsers } from '../../src/modules/users/service.ts';
import { startFakeTelegram, TelegramErrors, type FakeTelegram } from '../fakes/telegram.ts';
import { catalogFixture } from '../support/catalog.ts';
import { attachCourseFile } from '../support/course-file.ts';
import { silentLogger, tempDir } from '../support/env.ts';

const TOKEN = '424242:deliver-job-test-token';
const PUBLIC_URL = 'https://shop.example.com';

let fake: FakeTelegram;
let dir: ReturnType<typeof tempDir>;
beforeAll(async () => {
  fake = await startFakeTelegram({ token: TOKEN });
  dir = tempDir('techbot-deliver-');
});
afterAll(async () => {
  await fake.stop();
  dir.cleanup();
});

let nextChat = 90_000;

interface FixtureOptions {
  /** false: the bot is off (no TELEGRAM_TOKEN). */
  telegram?: boolean;
  publicUrl?: string | null;
  notifyDelivered?: NotifyDelivered;
  receipts?: Omit<NonNullable<OrderJobsDeps['receipts']>, 'enqueue'>;
}

function deliverFixture({ telegram = true, publicUrl = PUBLIC_URL, notifyDelivered, receipts }: FixtureOptions = {}) {
  const base = catalogFixture();
  const { db, sqlite } = base.store;
  const logger = silentLogger();
  const queue = createQueue({ db, clock: base.clock, logger });
  const orders = createOrders({
    db,
    clock: base.clock,
    jobs: queue,
    feePercent: 5,
    paymentWindowMs: 3_600_000,
    catalog: base.catalog,
  });
  const users = createUsers({ db, clock: base.clock });
  const downloads = createDownloads({
    db,
    clock: base.clock,
    logger,
    dataDir: dir.path,
    secret: 'k'.repeat(32),
    limitPerDay: 10,
    linkTtlMs: 3_600_000,
    linkBase: publicUrl ? `${publicUrl}${DOWNLOADS_PATH}` : undefined,
    owns: orders.owns,
    catalog: base.catalog,
  });
  const api = telegramClient(new Api(TOKEN, { apiRoot: fake.apiRoot }));
  const sent: { chatId: number; text: string }[] = [];
  const jobs = createOrderJobs({
    logger,
    orders,
    users,
    catalog: base.catalog,
    downloads,
    telegram: telegram ? createTelegramDelivery({ telegram: api, db, dataDir: dir.path, logger }) : undefined,
    sendToTelegram: telegram
      ? async (chatId, text) => {
          sent.push({ chatId, text });
          return api.sendMessage(chatId, text);
        }
      : undefined,
    notifyDelivered,
    receipts: receipts && {
      ...receipts,
      enqueue: (orderId: string) =>
        queue.enqueue('deliver-receipt', { orderId }, { uniqueKey: `deliver-receipt:${orderId}` }),
    },
  });
  queue.register('deliver', jobs.deliver, DELIVER_JOB);
  queue.register('deliver-receipt', jobs.deliverReceipt, RECEIPT_JOB);
  queue.register('notify-sale', jobs.notifySale);
  const product = base.product({ title: 'Bitcoin from zero', price_cents: 4900 });

  const attachFile = () => attachCourseFile(dir.path, sqlite, product.id);

  /** A paid order (deliver and notify-sale jobs queued) of a Telegram buyer, or of an e-mail buyer. */
  function paidOrder(buyer: { email: string } | { language?: string } = {}) {
    const user =
      'email' in buyer
        ? users.upsertEmail(buyer.email)
        : users.upsertTelegram({ telegramId: ++nextChat, firstName: 'Bea', languageCode: buyer.language ?? 'en' });
    const { order } = orders.create({ buyerId: user.id, productId: product.id, method: 'crypto' });
    orders.transition(order.id, { to: 'paid', actor: 'test' });
    return { order, user };
  }

  const job = (kind: string, orderId: string) =>
    sqlite
      .query("SELECT status, attempts, last_error FROM jobs WHERE kind = ? AND payload ->> '$.orderId' = ?")
      .get(kind, orderId) as {
      status: string;
      attempts: number;
      last_error: string | null;
    };
  const callsTo = (method: string, chatId: number) =>
    fake.calls(method).filter((c) => String(c.params.chat_id) === String(chatId));
  const documentsTo = (chatId: number) => callsTo('sendDocument', chatId).filter((c) => c.response.ok);
  const blockedBot = (userId: number) =>
    (sqlite.query('SELECT blocked_bot FROM users WHERE id = ?').get(userId) as { blocked_bot: number }).blocked_bot ===
    1;

  return {
    ...base,
    queue,
    orders,
    users,
    jobs,
    product,
    attachFile,
    paidOrder,
    job,
    callsTo,
    documentsTo,
    sent,
    blockedBot,
  };
}

describe('deliver job: Telegram buyers', () => {
  test('sends the file once, marks the order delivered, then tells the bot; running it again does nothing', async () => {
    const notices: Parameters<NotifyDelivered>[] = [];
    const f = deliverFixture({ notifyDelivered: (...args) => void notices.push(args) });
    const file = await f.attachFile();
    const { order, user } = f.paidOrder({ language: 'fr' });

    await f.queue.runDue();
    expect(f.job('deliver', order.id)).toMatchObject({ status: 'done', attempts: 1 });
    const documents = f.documentsTo(user.telegramId!);
    expect(documents).toHaveLength(1);
    expect(documents[0]!.files[0]).toMatchObject({ sha256: file.sha256, size: file.size });
    expect(f.orders.get(order.id).status).toBe('delivered');
    expect(f.orders.events(order.id).at(-1)).toMatchObject({
      fromStatus: 'paid',
      toStatus: 'delivered',
      actor: 'deliver-job',
      reason: 'sent in Telegram (upload)',
    });
    expect(notices).toHaveLength(1);
    const [noticeOrder, noticeBuyer, outcome] = notices[0]!;
    expect(noticeOrder.status).toBe('delivered');
    expect(noticeBuyer.id).toBe(user.id);
    expect(outcome).toMatchObject({ via: 'telegram', method: 'upload' });

    // At least once: the queue may run it again (e.g. after a crash before its outcome was written).
    await f.jobs.deliver({ orderId: order.id }, {} as never);
    expect(f.documentsTo(user.telegramId!)).toHaveLength(1);
    expect(notices).toHaveLength(1);
  });

  test('a Telegram 5xx is retried later and delivers exactly one document', async () => {
    const f = deliverFixture();
    await f.attachFile();
    const { order, user } = f.paidOrder();
    fake.failNext('sendDocument', TelegramErrors.badGateway());
    const first = await f.queue.runDue();
    expect(first.failed).toBe(1);
    expect(f.job('deliver', order.id)).toMatchObject({ status: 'ready', attempts: 1 });
    expect(f.orders.get(order.id).status).toBe('paid');
    f.clock.advance(DELIVER_JOB.backoff!.baseMs + 1);
    await f.queue.runDue();
    expect(f.job('deliver', order.id)).toMatchObject({ status: 'done', attempts: 2 });
    expect(f.documentsTo(user.telegramId!)).toHaveLength(1);
    expect(f.orders.get(order.id).status).toBe('delivered');
  });

  test('a buyer who blocked the bot (403): marked blocked_bot, order stays paid, the job ends at once', async () => {
    const f = deliverFixture();
    await f.attachFile();
    const { order, user } = f.paidOrder();
    fake.blockUser(user.telegramId!);
    try {
      const summary = await f.queue.runDue();
      expect(summary).toMatchObject({ ran: 2, dead: 1, succeeded: 1 }); // deliver dead, notify-sale done
    } finally {
      fake.unblockUser(user.telegramId!);
    }
    const job = f.job('deliver', order.id);
    expect(job).toMatchObject({ status: 'dead', attempts: 1 });
    expect(job.last_error).toContain('BotBlockedError');
    expect(f.blockedBot(user.id)).toBe(true);
    expect(f.orders.get(order.id).status).toBe('paid');
    expect(f.orders.list({ status: 'paid' }).map((o) => o.id)).toContain(order.id);
  });

  test('a thank-you that fails does not undo the delivery nor send the file again', async () => {
    const f = deliverFixture({
      notifyDelivered: () => {
        throw new Error('keyboard went wrong');
      },
    });
    await f.attachFile();
    const { order, user } = f.paidOrder();
    expect(await f.queue.runDue()).toMatchObject({ succeeded: 2 });
    expect(f.orders.get(order.id).status).toBe('delivered');
    expect(f.documentsTo(user.telegramId!)).toHaveLength(1);
  });
});

describe('deliver job: what cannot be delivered', () => {
  test('a product without a file: the job ends with "product has no file yet", the order stays paid', async () => {
    const f = deliverFixture();
    const { order } = f.paidOrder();
    await f.queue.runDue();
    expect(f.job('deliver', order.id)).toMatchObject({ status: 'dead', attempts: 1 });
    expect(f.job('deliver', order.id).last_error).toContain('product has no file yet');
    expect(f.orders.get(order.id).status).toBe('paid');
  });

  test('an order that is not paid is never delivered; a missing order or payload ends the job', async () => {
    const f = deliverFixture();
    await f.attachFile();
    const buyer = f.users.upsertTelegram({ telegramId: ++nextChat });
    const { order } = f.orders.create({ buyerId: buyer.id, productId: f.product.id, method: 'crypto' });
    f.queue.enqueue('deliver', { orderId: order.id });
    f.queue.enqueue('deliver', { orderId: 'ORD-2611-NOPE0000' });
    f.queue.enqueue('deliver', {});
    expect(await f.queue.runDue()).toMatchObject({ ran: 3, dead: 3 });
    const errors = f.store.sqlite.query("SELECT last_error FROM jobs WHERE kind = 'deliver' ORDER BY id").all() as {
      last_error: string;
    }[];
    expect(errors.map((e) => e.last_error)).toEqual([
      expect.stringContaining('is awaiting_payment, not paid'),
      expect.stringContaining('does not exist'),
      expect.stringContaining('no orderId'),
    ]);
    expect(f.orders.get(order.id).status).toBe('awaiting_payment');
    expect(f.callsTo('sendDocument', buyer.telegramId!)).toEqual([]);
  });
});

describe('deliver job: buyers without Telegram', () => {
  test('an e-mail buyer: the receipt is sent, and only then is the order delivered', async () => {
    const receipts: string[] = [];
    const f = deliverFixture({
      receipts: { send: async (order, _buyer, link) => void receipts.push(`${order.id} ${link.url}`), queue: () => {} },
    });
    await f.attachFile();
    const before = fake.calls().length;
    const { order } = f.paidOrder({ email: 'buyer@example.com' });
    await f.queue.runDue();
    await f.queue.runDue();
    expect(f.job('deliver', order.id)).toMatchObject({ status: 'done' });
    expect(f.job('deliver-receipt', order.id)).toMatchObject({ status: 'done', attempts: 1 });
    expect(f.orders.get(order.id).status).toBe('delivered');
    expect(f.orders.events(order.id).at(-1)).toMatchObject({
      toStatus: 'delivered',
      reason: 'receipt e-mailed with a download link',
    });
    expect(receipts).toEqual([
      expect.stringMatching(new RegExp(`^${order.id} https://shop\\.example\\.com/api/downloads/.`)),
    ]);
    expect(fake.calls().length).toBe(before);
  });

  test('an e-mail buyer while the SMTP server refuses for now: the order stays paid and the receipt job retries', async () => {
    const f = deliverFixture({
      receipts: { send: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:2525')), queue: () => {} },
    });
    await f.attachFile();
    const { order } = f.paidOrder({ email: 'buyer@example.com' });
    await f.queue.runDue();
    await f.queue.runDue();
    expect(f.job('deliver-receipt', order.id)).toMatchObject({
      status: 'ready',
      attempts: 1,
      last_error: expect.stringContaining('ECONNREFUSED'),
    });
    expect(f.orders.get(order.id).status).toBe('paid');
  });

  test('an e-mail buyer whose mailbox does not exist (550): the receipt job ends dead at once, the order paid', async () => {
    const f = deliverFixture({
      receipts: {
        send: () => Promise.reject(new MailError('550 No such mailbox', true, 'EENVELOPE', 550)),
        queue: () => {},
      },
    });
    await f.attachFile();
    const { order } = f.paidOrder({ email: 'gone@example.com' });
    await f.queue.runDue();
    await f.queue.runDue();
    expect(f.job('deliver-receipt', order.id)).toMatchObject({ status: 'dead', attempts: 1 });
    expect(f.orders.get(order.id).status).toBe('paid');
  });

  test('an e-mail buyer without any SMTP server: never marked delivered (the job ends dead, the order paid)', async () => {
    const f = deliverFixture();
    await f.attachFile();
    const { order } = f.paidOrder({ email: 'buyer@example.com' });
    await f.queue.runDue();
    expect(f.job('deliver', order.id)).toMatchObject({
      status: 'dead',
      last_error: expect.stringContaining('not configured'),
    });
    expect(f.orders.get(order.id).status).toBe('paid');
  });

  test('a Telegram buyer while the bot is off gets the download link path', async () => {
    const f = deliverFixture({ telegram: false });
    await f.attachFile();
    const { order, user } = f.paidOrder();
    await f.queue.runDue();
    expect(f.orders.events(order.id).at(-1)).toMatchObject({
      toStatus: 'delivered',
      reason: 'download link available',
    });
    expect(f.callsTo('sendDocument', user.telegramId!)).toEqual([]);
  });

  test('without PUBLIC_URL no link can exist: the job ends with a clear reason, the order stays paid', async () => {
    const f = deliverFixture({ publicUrl: null });
    await f.attachFile();
    const { order } = f.paidOrder({ email: 'nolink@example.com' });
    await f.queue.runDue();
    const job = f.job('deliver', order.id);
    expect(job).toMatchObject({ status: 'dead', attempts: 1 });
    expect(job.last_error).toContain('PUBLIC_URL');
    expect(f.orders.get(order.id).status).toBe('paid');
  });
});

describe('notify-sale job', () => {
  function linkSeller(f: ReturnType<typeof deliverFixture>, language: string) {
    const person = f.users.upsertTelegram({ telegramId: ++nextChat, languageCode: language });
    f.store.sqlite.run('UPDATE sellers SET user_id = ? WHERE id = ?', [person.id, f.product.seller.id]);
    return person;
  }

  test('a seller linked to a Telegram user is told of the sale with their share, in their language', async () => {
    const f = deliverFixture();
    await f.attachFile();
    const seller = linkSeller(f, 'fr');
    const { order } = f.paidOrder();
    await f.queue.runDue();
    expect(f.job('notify-sale', order.id)).toMatchObject({ status: 'done' });
    expect(f.sent).toEqual([{ chatId: seller.telegramId!, text: saleText('fr', 'Bitcoin from zero', 4655, 'USD') }]);
    expect(f.sent[0]!.text).toMatch(/^Vous avez vendu « Bitcoin from zero » — \+46,55\s\$(US)?$/);
    expect(f.callsTo('sendMessage', seller.telegramId!)).toHaveLength(1);
    expect(saleText('en', 'Bitcoin from zero', 4655, 'USD')).toBe('You sold “Bitcoin from zero” — +$46.55');
  });

  test('a seller without Telegram, or the bot off: the job succeeds without sending anything', async () => {
    for (const telegram of [true, false]) {
      const f = deliverFixture({ telegram });
      const { order } = f.paidOrder();
      await f.queue.runDue();
      expect(f.job('notify-sale', order.id)).toMatchObject({ status: 'done', attempts: 1 });
      expect(f.sent).toEqual([]);
    }
  });

  test('a seller who blocked the bot: marked blocked_bot, the job ends without retrying', async () => {
    const f = deliverFixture();
    const seller = linkSeller(f, 'en');
    fake.blockUser(seller.telegramId!);
    try {
      const { order } = f.paidOrder();
      await f.queue.runDue();
      expect(f.job('notify-sale', order.id)).toMatchObject({ status: 'done', attempts: 1 });
    } finally {
      fake.unblockUser(seller.telegramId!);
    }
    expect(f.blockedBot(seller.id)).toBe(true);
  });
});
