/**
 * Buying with crypto in the bot: the currency chooser, the payment message (QR code, amount,
 * address, countdown), "check status" and "cancel" (only for the buyer), and the polite
 * refusals (owned, below the minimum, provider down, stale buttons, crypto off). The buy
 * feature in process, its payments through the fake NOWPayments; paying through IPNs crosses
 * the faces and is tested on the whole app (tests/bot/bot.test.ts).
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { BotContext } from '../../../src/bot/context.ts';
import { refuse } from '../../../src/bot/features/buy-refusal.ts';
import { cb } from '../../../src/bot/keyboards/callback-data.ts';
import { paymentQr } from '../../../src/bot/payment-view.ts';
import { translate } from '../../../src/locales/index.ts';
import { createTestBot, type TestBot } from '../../support/bot.ts';
import { paymentIdOf, payWith } from '../../support/buying.ts';

let h: TestBot;
beforeAll(() => {
  h = createTestBot({ nowpayments: true });
});
afterAll(() => h.stop());

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47];

describe('bot: buy with crypto', () => {
  test('the currency chooser shows the common currencies first, "More" pages through the rest, Back returns to the card', async () => {
    const course = await h.course({ title: 'Chooser course' });
    const user = h.fake.user({ first_name: 'Cleo', language_code: 'en' });
    await user.send(`/start p_${course.id}`);
    const card = await user.waitForMessage('Chooser course');
    await user.tap('💳 Buy with crypto');
    const chooser = await user.waitForMessage(/Choose the crypto currency/);
    expect(chooser.message_id).toBe(card.message_id);
    expect(chooser.text).toContain('$49.00');
    expect(user.buttons()).toEqual(['BTC', 'ETH', 'USDT (TRC20)', 'LTC', 'SOL', 'TON', '➕ More currencies', '⬅️ Back']);

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
  });

  test('choosing BTC: a QR code photo whose caption has the amount, the address to copy, the countdown and two buttons', async () => {
    const course = await h.course({ title: 'Bitcoin from zero' });
    const user = h.fake.user({ first_name: 'Bea', language_code: 'en' });
    const message = await payWith(user, course.id, 'BTC');
    const payment = h.provider.payment(paymentIdOf(message))!;
    expect(payment).toMatchObject({ pay_currency: 'btc', price_amount: 49, ipn_callback_url: null });

    const sent = h.fake.calls('sendPhoto').at(-1)!;
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
    const view = await h.app.payments.view(payment.payment_id.toString());
    expect(view.payment_uri).toBe(`bitcoin:${payment.pay_address}?amount=${view.pay_amount}`);
    expect(Buffer.from(qr!.bytes).equals(paymentQr(view.payment_uri!))).toBe(true);
    expect(message.photo![0]!.width).toBeGreaterThanOrEqual(200);
    // The chooser turned into a note, without buttons.
    const note = user.messages().find((m) => m.text?.includes('Paying for Bitcoin from zero with BTC'));
    expect(note?.reply_markup).toBeUndefined();

    // The countdown is computed when shown: two minutes later "Check status" says 58 min.
    h.clock.advance(2 * 60_000);
    await user.tap('🔄 Check status');
    const checked = await user.waitForMessage(/Expires in 58 min/);
    expect(checked.message_id).toBe(message.message_id);
    expect(user.photos()).toHaveLength(1);
  });

  test('Cancel cancels the open order (an event by the user) and the message says so', async () => {
    const course = await h.course({ title: 'Cancel me' });
    const user = h.fake.user({ language_code: 'en' });
    const message = await payWith(user, course.id, 'ETH');
    const view = await h.app.payments.view(paymentIdOf(message));
    // Somebody else's client forging the same button changes nothing.
    const mallory = h.fake.user({ language_code: 'en' });
    await mallory.send('/start');
    await mallory.waitForMessage(/Hello/);
    await h.bot.api.sendMessage(mallory.id, 'Forged', {
      reply_markup: {
        inline_keyboard: [
          [{ text: 'Forged cancel', callback_data: cb.pay.pack({ action: 'cancel', id: view.payment_id }) }],
        ],
      },
    });
    await mallory.tap('Forged cancel');
    expect((await mallory.callbackAnswer()).text).toBe('This payment no longer exists. Send /start to begin again.');
    expect(h.app.orders.get(view.order_id).status).toBe('awaiting_payment');

    await user.tap('✖️ Cancel');
    expect((await user.callbackAnswer()).text).toBe('Payment cancelled.');
    const cancelled = await user.waitForMessage(/cancelled/);
    expect(cancelled.message_id).toBe(message.message_id);
    expect(cancelled.caption).not.toContain('Send exactly');
    expect(user.buttons(message.message_id)).toEqual(['💱 Pay another way']);
    const buyer = h.app.users.findByTelegramId(user.id)!;
    expect(h.app.orders.events(view.order_id).at(-1)).toMatchObject({
      toStatus: 'cancelled',
      actor: `user:${buyer.id}`,
    });
  });
});

describe('bot: buy with crypto, refused politely', () => {
  test('a price below the currency minimum: say so and keep the currency list to choose another', async () => {
    const strict = createTestBot({ nowpayments: { minAmounts: { btc: 1 } } });
    try {
      const course = await strict.course({ title: 'Small price' });
      const user = strict.fake.user({ language_code: 'en' });
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
  });

  test('the provider is down: "temporarily unavailable", and nothing breaks', async () => {
    const course = await h.course({ title: 'Provider down' });
    const user = h.fake.user({ language_code: 'en' });
    await user.send(`/start p_${course.id}`);
    await user.waitForMessage('Provider down');
    await user.tap('💳 Buy with crypto');
    await user.waitForMessage(/Choose the crypto currency/);
    await h.provider.setFault('down');
    try {
      await user.tap('TON');
      expect(await user.callbackAnswer({ timeoutMs: 15_000 })).toMatchObject({
        text: 'Payments are temporarily unavailable. Please try again in a few minutes.',
        show_alert: true,
      });
    } finally {
      await h.provider.setFault(null);
    }
    expect(h.logs.filter((line) => line.level >= 50)).toEqual([]);
  });

  test('stale buttons: a course taken off sale while its chooser was open, and a payment that does not exist', async () => {
    const course = await h.course({ title: 'Taken down' });
    const user = h.fake.user({ language_code: 'en' });
    await user.send(`/start p_${course.id}`);
    await user.waitForMessage('Taken down');
    await user.tap('💳 Buy with crypto');
    await user.waitForMessage(/Choose the crypto currency/);
    await h.removeProduct(course.id);
    await user.tap('BTC');
    expect(await user.callbackAnswer()).toMatchObject({
      text: expect.stringContaining('no longer available'),
      show_alert: true,
    });
    await user.tap('⬅️ Back');
    expect(await user.callbackAnswer()).toMatchObject({ text: expect.stringContaining('no longer available') });

    await h.bot.api.sendMessage(user.id, 'An old payment', {
      reply_markup: {
        inline_keyboard: [[{ text: 'Old check', callback_data: cb.pay.pack({ action: 'check', id: '999' }) }]],
      },
    });
    await user.tap('Old check');
    expect(await user.callbackAnswer()).toMatchObject({
      text: 'This payment no longer exists. Send /start to begin again.',
    });
    expect(h.logs.filter((line) => line.level >= 50)).toEqual([]);
  });

  test('a marketplace without NOWPayments offers Stars instead', async () => {
    const plain = createTestBot();
    try {
      const product = plain.product({ title: 'Stars only' });
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
  });
});

describe('bot: buy refusals, worded', () => {
  test('each refusal of the payments module has its words, with the currency as buyers call it', async () => {
    const told: string[] = [];
    const ctx = {
      t: (key: string, args?: Record<string, string>) => translate('en', key, args),
      reply: async (text: string) => void told.push(text),
    } as unknown as BotContext;
    await refuse(ctx, 'below_minimum', 'usdttrc20');
    await refuse(ctx, 'currency_refused', 'xyz');
    await refuse(ctx, 'unavailable');
    await refuse(ctx, 'already_owned');
    await refuse(ctx, 'product_gone');
    await refuse(ctx, 'crypto_off');
    await refuse(ctx, 'unknown_payment');
    expect(told).toEqual([
      'The price of this course is below the smallest USDT (TRC20) payment. Please choose another currency.',
      'XYZ cannot be used for this payment. Please choose another currency.',
      'Payments are temporarily unavailable. Please try again in a few minutes.',
      'You already own this course — see /library.',
      'This course is no longer available. It may have been removed by its seller.',
      'Crypto payments are not available on this marketplace. You can pay with Telegram Stars.',
      'This payment no longer exists. Send /start to begin again.',
    ]);
  });
});
