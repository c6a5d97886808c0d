/**
 * Buying with crypto in the bot (issue 6, "Buy with crypto" and "Delivery"): the whole app in
 * process, polling the fake Telegram, paying through the fake NOWPayments. IPNs are POSTed by the
 * fake provider to the app's real IPN route.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { refusalOf } from '../../src/bot/features/buy-refusal.ts';
import { cb } from '../../src/bot/keyboards/callback-data.ts';
import { paymentQr } from '../../src/bot/payment-view.ts';
import { AppError } from '../../src/lib/errors.ts';
import { CircuitOpenError, UncertainOutcomeError } from '../../src/lib/http-client/errors.ts';
import type { ChatMessage, TelegramUser } from '../fakes/telegram.ts';
import { startBuyShop, type BuyShop } from './buy-shop.ts';
import { startBotApp } from './harness.ts';

let shop: BuyShop;
beforeAll(async () => {
  shop = await startBuyShop();
});
afterAll(() => shop.stop());

const TIMEOUT = 20_000;
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47];

/** The payment id behind a payment message's "Check status" button. */
function paymentIdOf(message: ChatMessage): string {
  const data = message.reply_markup?.inline_keyboard
    .flat()
    .find((b) => b.callback_data?.startsWith('1:pay:check:'))?.callback_data;
  if (!data) throw new Error(`message #${message.message_id} has no "Check status" button`);
  return cb.pay.unpack(data)!.id;
}

/** Opens the card by deep link, taps "Buy with crypto" and a currency; resolves with the payment message. */
async function payWith(user: TelegramUser, productId: string, currency: string | RegExp): Promise<ChatMessage> {
  await user.send(`/start p_${productId}`);
  await user.waitForMessage(productId);
  await user.tap(/Buy with crypto|Acheter en crypto/);
  await user.waitForMessage(/Choose the crypto currency|Choisissez la cryptomonnaie/);
  await user.tap(currency);
  return user.waitForMessage((m) => m.photo !== undefined);
}

describe('bot: buy with crypto', () => {
  test(
    'the currency chooser shows the common currencies first, "More" pages through the rest, Back returns to the card',
    async () => {
      const course = await shop.course({ title: 'Chooser course' });
      const user = shop.h.fake.user({ first_name: 'Cleo', language_code: 'en' });
      await user.send(`/start p_${course.id}`);
      const card = await user.waitForMessage('Chooser course');
      await user.tap('💳 Buy with crypto');
      const chooser = await user.waitForMessage(/Choose the crypto currency/);
      expect(chooser.message_id).toBe(card.message_id);
      expect(chooser.text).toContain('$49.00');
      expect(user.buttons()).toEqual([
        'BTC',
        'ETH',
        'USDT (TRC20)',
        'LTC',
        'SOL',
        'TON',
        '➕ More currencies',
        '⬅️ Back',
      ]);

      await user.tap('➕ More currencies');
      await user.waitForMessage(/All currencies, page 1 of 1/);
      expect(user.buttons()).toEqual([
        'BNB (BSC)',
        'DOGE',
        'TRX',
        'USDT (ERC20)',
        'XMR',
        'XRP',
        '⭐ Common currencies',
        '⬅️ Back',
      ]);
      await user.tap('⭐ Common currencies');
      await user.waitForMessage(/Choose the crypto currency/);
      await user.tap('⬅️ Back');
      const again = await user.waitForMessage('Chooser course');
      expect(again.message_id).toBe(card.message_id);
    },
    TIMEOUT,
  );

  test(
    'choosing BTC: a QR code photo whose caption has the amount, the address to copy, the countdown and two buttons',
    async () => {
      const course = await shop.course({ title: 'Bitcoin from zero' });
      const user = shop.h.fake.user({ first_name: 'Bea', language_code: 'en' });
      const message = await payWith(user, course.id, 'BTC');
      const payment = shop.provider.payment(paymentIdOf(message))!;
      expect(payment).toMatchObject({ pay_currency: 'btc', price_amount: 49, ipn_callback_url: null });

      const sent = shop.h.fake.calls('sendPhoto').at(-1)!;
      expect(sent.params.parse_mode).toBe('HTML');
      const caption = String(sent.params.caption);
      expect(caption.length).toBeLessThanOrEqual(1024);
      expect(caption).toContain(`<code>${payment.pay_address}</code>`);
      expect(caption).toContain(`<code>${payment.pay_amount}</code> BTC`);
      expect(message.caption).toContain('Bitcoin from zero — $49.00');
      expect(message.caption).toContain('Expires in 1 h 0 min.');
      expect(message.caption).toContain('Status: waiting for your payment');
      expect(user.buttons()).toEqual(['🔄 Check status', '✖️ Cancel']);

      const [qr] = user.photos();
      expect([...qr!.bytes.subarray(0, 4)]).toEqual(PNG_MAGIC);
      // The picture is the QR code of the payment URI (bitcoin:<address>?amount=<amount>).
      const view = await shop.h.app.payments.view(payment.payment_id.toString());
      expect(view.payment_uri).toBe(`bitcoin:${payment.pay_address}?amount=${view.pay_amount}`);
      expect(Buffer.from(qr!.bytes).equals(await paymentQr(view.payment_uri!))).toBe(true);
      expect(message.photo![0]!.width).toBeGreaterThanOrEqual(200);
      // The chooser turned into a note, without buttons.
      const note = user.messages().find((m) => m.text?.includes('Paying for Bitcoin from zero with BTC'));
      expect(note?.reply_markup).toBeUndefined();

      // The countdown is computed when shown: two minutes later "Check status" says 58 min.
      shop.h.clock.advance(2 * 60_000);
      await user.tap('🔄 Check status');
      const checked = await user.waitForMessage(/Expires in 58 min/);
      expect(checked.message_id).toBe(message.message_id);
      expect(user.photos()).toHaveLength(1);
    },
    TIMEOUT,
  );

  test(
    'IPNs move the payment: Check status shows partially paid with what is missing, then the file, the thank-you and the final state arrive',
    async () => {
      const course = await shop.course({ title: 'Lightning in depth' });
      const user = shop.h.fake.user({ first_name: 'Pia', language_code: 'en' });
      const message = await payWith(user, course.id, 'LTC');
      const id = paymentIdOf(message);
      const paid = Number((shop.provider.payment(id)!.pay_amount / 2).toFixed(8));

      expect(await shop.provider.advance(id, 'partially_paid', { url: shop.ipnUrl(), actuallyPaid: paid })).toBe(200);
      await user.tap('🔄 Check status');
      const partial = await user.waitForMessage(/partially paid/);
      expect(partial.message_id).toBe(message.message_id);
      const view = await shop.h.app.payments.view(id);
      expect(partial.caption).toContain(`received ${view.actually_paid} LTC, missing ${view.missing_amount} LTC`);
      expect(user.buttons(message.message_id)).toEqual(['🔄 Check status', '✖️ Cancel']);

      await user.tap('🔄 Check status');
      expect((await user.callbackAnswer()).text).toBe('No change yet. Check again in a minute.');

      expect(await shop.provider.advance(id, 'finished', { url: shop.ipnUrl() })).toBe(200);
      await user.waitForMessage((m) => m.document !== undefined, { timeoutMs: 10_000 });
      const thanks = await user.waitForMessage(/Thank you! Enjoy your course Lightning in depth/);
      expect(thanks.reply_markup?.inline_keyboard.flat()).toEqual([
        { text: '⭐ Leave a review', callback_data: cb.review.pack({ id: course.id }) },
      ]);
      expect(user.documents().map((d) => d.sha256)).toEqual([course.file.sha256]);
      // The payment message was brought to its final state by the delivery notice.
      const final = user.messages().find((m) => m.message_id === message.message_id)!;
      expect(final.caption).toContain('paid and delivered');
      expect(user.buttons(message.message_id)).toEqual(['📚 My library']);
      expect(shop.h.app.orders.get(view.order_id).status).toBe('delivered');
    },
    TIMEOUT,
  );

  test(
    'Cancel cancels the open order (an event by the user) and the message says so',
    async () => {
      const course = await shop.course({ title: 'Cancel me' });
      const user = shop.h.fake.user({ language_code: 'en' });
      const message = await payWith(user, course.id, 'ETH');
      const view = await shop.h.app.payments.view(paymentIdOf(message));
      // Somebody else's client forging the same button changes nothing.
      const mallory = shop.h.fake.user({ language_code: 'en' });
      await mallory.send('/start');
      await mallory.waitForMessage(/Hello/);
      await shop.h.app.bot!.api.sendMessage(mallory.id, 'Forged', {
        reply_markup: {
          inline_keyboard: [
            [{ text: 'Forged cancel', callback_data: cb.pay.pack({ action: 'cancel', id: view.payment_id }) }],
          ],
        },
      });
      await mallory.tap('Forged cancel');
      expect((await mallory.callbackAnswer()).text).toBe('This payment no longer exists. Send /start to begin again.');
      expect(shop.h.app.orders.get(view.order_id).status).toBe('awaiting_payment');

      await user.tap('✖️ Cancel');
      expect((await user.callbackAnswer()).text).toBe('Payment cancelled.');
      const cancelled = await user.waitForMessage(/cancelled/);
      expect(cancelled.message_id).toBe(message.message_id);
      expect(cancelled.caption).not.toContain('Send exactly');
      expect(user.buttons(message.message_id)).toEqual(['💱 Pay another way']);
      const buyer = shop.h.app.users.findByTelegramId(user.id)!;
      expect(shop.h.app.orders.events(view.order_id).at(-1)).toMatchObject({
        toStatus: 'cancelled',
        actor: `user:${buyer.id}`,
      });
    },
    TIMEOUT,
  );

  test(
    'a French buyer pays in French and is thanked in French',
    async () => {
      const course = await shop.course({ title: 'Cours en français' });
      const user = shop.h.fake.user({ first_name: 'Amélie', language_code: 'fr' });
      const message = await payWith(user, course.id, 'SOL');
      expect(message.caption).toContain('Envoyez exactement');
      expect(message.caption).toContain('État : en attente de votre paiement');
      expect(user.buttons()).toEqual(["🔄 Vérifier l'état", '✖️ Annuler']);
      expect(await shop.provider.advance(paymentIdOf(message), 'finished', { url: shop.ipnUrl() })).toBe(200);
      const thanks = await user.waitForMessage(/Merci ! Bonne formation avec Cours en français/, { timeoutMs: 10_000 });
      expect(thanks.reply_markup?.inline_keyboard.flat().map((b) => b.text)).toEqual(['⭐ Laisser un avis']);
    },
    TIMEOUT,
  );
});

describe('bot: buy with crypto, refused politely', () => {
  test(
    'a course the buyer already owns: "see /library", no new order',
    async () => {
      const course = await shop.course({ title: 'Owned already' });
      const user = shop.h.fake.user({ language_code: 'en' });
      const message = await payWith(user, course.id, 'BTC');
      expect(await shop.provider.advance(paymentIdOf(message), 'finished', { url: shop.ipnUrl() })).toBe(200);
      await user.waitForMessage(/Thank you!/, { timeoutMs: 10_000 });
      const orders = shop.h.app.orders.list({ product_id: course.id }).length;

      await user.send(`/start p_${course.id}`);
      await user.waitForMessage('Owned already');
      await user.tap('💳 Buy with crypto');
      expect(await user.callbackAnswer()).toMatchObject({
        text: 'You already own this course — see /library.',
        show_alert: true,
      });
      await user.tap('⭐ Buy with Stars');
      expect(await user.callbackAnswer()).toMatchObject({
        text: 'You already own this course — see /library.',
        show_alert: true,
      });
      expect(shop.h.app.orders.list({ product_id: course.id })).toHaveLength(orders);
    },
    TIMEOUT,
  );

  test(
    'a price below the currency minimum: say so and keep the currency list to choose another',
    async () => {
      const strict = await startBuyShop({ minAmounts: { btc: 1 } });
      try {
        const course = await strict.course({ title: 'Small price' });
        const user = strict.h.fake.user({ language_code: 'en' });
        await user.send(`/start p_${course.id}`);
        await user.waitForMessage('Small price');
        await user.tap('💳 Buy with crypto');
        await user.waitForMessage(/Choose the crypto currency/);
        await user.tap('BTC');
        expect(await user.callbackAnswer()).toMatchObject({
          text: 'The price of this course is below the smallest BTC payment. Please choose another currency.',
          show_alert: true,
        });
        expect(user.buttons()).toContain('ETH');
        await user.tap('ETH');
        await user.waitForMessage((m) => m.photo !== undefined);
      } finally {
        await strict.stop();
      }
    },
    TIMEOUT,
  );

  test(
    'the provider is down: "temporarily unavailable", and nothing breaks',
    async () => {
      const course = await shop.course({ title: 'Provider down' });
      const user = shop.h.fake.user({ language_code: 'en' });
      await user.send(`/start p_${course.id}`);
      await user.waitForMessage('Provider down');
      await user.tap('💳 Buy with crypto');
      await user.waitForMessage(/Choose the crypto currency/);
      await shop.provider.setFault('down');
      try {
        await user.tap('TON');
        expect(await user.callbackAnswer({ timeoutMs: 15_000 })).toMatchObject({
          text: 'Payments are temporarily unavailable. Please try again in a few minutes.',
          show_alert: true,
        });
      } finally {
        await shop.provider.setFault(null);
      }
      expect(shop.h.logs.filter((line) => line.level >= 50)).toEqual([]);
    },
    TIMEOUT,
  );

  test(
    'stale buttons: a course taken off sale while its chooser was open, and a payment that does not exist',
    async () => {
      const course = await shop.course({ title: 'Taken down' });
      const user = shop.h.fake.user({ language_code: 'en' });
      await user.send(`/start p_${course.id}`);
      await user.waitForMessage('Taken down');
      await user.tap('💳 Buy with crypto');
      await user.waitForMessage(/Choose the crypto currency/);
      await shop.h.removeProduct(course.id);
      await user.tap('BTC');
      expect(await user.callbackAnswer()).toMatchObject({
        text: expect.stringContaining('no longer available'),
        show_alert: true,
      });
      await user.tap('⬅️ Back');
      expect(await user.callbackAnswer()).toMatchObject({ text: expect.stringContaining('no longer available') });

      await shop.h.app.bot!.api.sendMessage(user.id, 'An old payment', {
        reply_markup: {
          inline_keyboard: [[{ text: 'Old check', callback_data: cb.pay.pack({ action: 'check', id: '999' }) }]],
        },
      });
      await user.tap('Old check');
      expect(await user.callbackAnswer()).toMatchObject({
        text: 'This payment no longer exists. Send /start to begin again.',
      });
      expect(shop.h.logs.filter((line) => line.level >= 50)).toEqual([]);
    },
    TIMEOUT,
  );

  test(
    'a marketplace without NOWPayments offers Stars instead',
    async () => {
      const plain = await startBotApp();
      try {
        const product = await plain.product({ title: 'Stars only' });
        const user = plain.fake.user({ language_code: 'en' });
        await user.send(`/start p_${product.id}`);
        await user.waitForMessage('Stars only');
        await user.tap('💳 Buy with crypto');
        expect((await user.callbackAnswer()).text).toBe(
          'Crypto payments are not available on this marketplace. You can pay with Telegram Stars.',
        );
      } finally {
        await plain.stop();
      }
    },
    TIMEOUT,
  );
});

describe('bot: buy refusals, mapped', () => {
  test('provider trouble, ownership, a missing product and a currency minimum each get their message; bugs are not hidden', () => {
    expect(refusalOf(new CircuitOpenError('nowpayments', 30))).toEqual({ key: 'buy-unavailable' });
    expect(refusalOf(new UncertainOutcomeError('nowpayments', 'POST', '/v1/payment', { cause: null }))).toEqual({
      key: 'buy-unavailable',
    });
    expect(refusalOf(new AppError('conflict', 'you already own this course', { reason: 'already_owned' }))).toEqual({
      key: 'buy-already-owned',
    });
    expect(refusalOf(new AppError('not_found', 'product X not found'))).toEqual({ key: 'product-gone' });
    const minimal = new AppError(
      'validation_failed',
      'the payment provider refused: Crypto amount 1 is less than minimal',
      {
        provider_code: 'AMOUNT_MINIMAL_ERROR',
      },
    );
    expect(refusalOf(minimal, 'usdttrc20')).toEqual({ key: 'buy-below-minimum', args: { currency: 'USDT (TRC20)' } });
    expect(refusalOf(new AppError('validation_failed', 'xyz is not accepted'), 'xyz')).toEqual({
      key: 'buy-currency-refused',
      args: { currency: 'XYZ' },
    });
    expect(refusalOf(new TypeError('a bug'))).toBeUndefined();
  });
});
