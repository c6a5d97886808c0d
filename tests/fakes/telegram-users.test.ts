import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import { Api, type GrammyError, InlineKeyboard, InputFile } from 'grammy';
import { createHash } from 'node:crypto';
import { startFakeTelegram, type FakeTelegram } from './telegram.ts';

const TOKEN = '123456:TEST-token_for_the_fake';
const NOW_MS = 1_750_000_000_000;
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

let fake: FakeTelegram;
let api: Api;
beforeEach(async () => {
  fake = await startFakeTelegram({ token: TOKEN, clock: { now: () => NOW_MS } });
  api = new Api(TOKEN, { apiRoot: fake.apiRoot });
});
afterEach(() => fake.stop());

const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error as GrammyError,
  );
const NOT_MODIFIED =
  'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message';

describe('fake Telegram: the message store', () => {
  test('edits change the stored message; identical content -> "message is not modified"; unknown ids -> 400', async () => {
    const user = fake.user({ first_name: 'Dana' });
    const keyboard = new InlineKeyboard().text('Check status', 'status:1');
    const sent = await api.sendMessage(user.id, '<b>Order</b> #1: waiting &amp; watching', {
      parse_mode: 'HTML',
      reply_markup: keyboard,
    });
    expect(sent).toMatchObject({
      message_id: 1,
      chat: { id: user.id, type: 'private', first_name: 'Dana' },
      text: 'Order #1: waiting & watching',
    });

    const edited = await api.editMessageText(user.id, sent.message_id, 'Order #1: paid', { reply_markup: keyboard });
    expect(edited).toMatchObject({ message_id: 1, text: 'Order #1: paid', edit_date: NOW_MS / 1000 });
    expect(user.lastMessage()).toMatchObject({
      text: 'Order #1: paid',
      reply_markup: { inline_keyboard: [[{ text: 'Check status', callback_data: 'status:1' }]] },
    });
    expect(
      await failureOf(api.editMessageText(user.id, 1, 'Order #1: paid', { reply_markup: keyboard })),
    ).toMatchObject({
      error_code: 400,
      description: NOT_MODIFIED,
    });

    await api.editMessageReplyMarkup(user.id, 1);
    expect(user.lastMessage().reply_markup).toBeUndefined();
    expect(await failureOf(api.editMessageReplyMarkup(user.id, 1))).toMatchObject({ description: NOT_MODIFIED });
    expect(await failureOf(api.editMessageText(user.id, 99, 'x'))).toMatchObject({
      description: 'Bad Request: message to edit not found',
    });
    expect(await failureOf(api.editMessageCaption(user.id, 1, { caption: 'x' }))).toMatchObject({
      description: 'Bad Request: there is no caption in the message to edit',
    });
    const own = await user.send('hi');
    expect(await failureOf(api.editMessageText(user.id, own.message_id, 'x'))).toMatchObject({
      description: "Bad Request: message can't be edited",
    });

    expect(await api.deleteMessage(user.id, 1)).toBe(true);
    expect(fake.chat(user.id).map((m) => m.message_id)).toEqual([own.message_id]);
    expect(await failureOf(api.deleteMessage(user.id, 1))).toMatchObject({
      description: 'Bad Request: message to delete not found',
    });
  });

  test('sendPhoto: an uploaded PNG becomes a PhotoSize with its dimensions; captions edit in place', async () => {
    const user = fake.user();
    const png = new Uint8Array(64);
    png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    new DataView(png.buffer).setUint32(16, 300);
    new DataView(png.buffer).setUint32(20, 200);
    const sent = await api.sendPhoto(user.id, new InputFile(png, 'qr.png'), { caption: 'Scan to pay' });
    expect(sent.photo).toEqual([
      {
        file_id: expect.stringMatching(/^AgAC/),
        file_unique_id: expect.any(String),
        file_size: 64,
        width: 300,
        height: 200,
      },
    ]);
    expect(user.photos()).toEqual([
      expect.objectContaining({ message_id: sent.message_id, sha256: sha256(png), caption: 'Scan to pay' }),
    ]);
    expect((await api.getFile(sent.photo[0]!.file_id)).file_path).toMatch(/^photos\/file_\d+\.jpg$/);
    await api.editMessageCaption(user.id, sent.message_id, { caption: 'Paid' });
    expect(user.lastMessage().caption).toBe('Paid');
    expect(await failureOf(api.editMessageText(user.id, sent.message_id, 'x'))).toMatchObject({
      description: 'Bad Request: there is no text in the message to edit',
    });
  });
});

describe('fake Telegram: simulated users', () => {
  test('send builds a message update (bot_command entity for /start); stickers and edits are updates too', async () => {
    const user = fake.user({ id: 4242, first_name: 'Élodie', language_code: 'fr' });
    await user.send('/start p_TBF-2611-ABCDEF');
    await user.sendSticker({ emoji: '🔥' });
    await user.send('guide python');
    await user.editLast('guide rust');
    const updates = await api.getUpdates();
    const [start, sticker, text, edit] = updates;
    expect(start!.message).toEqual({
      message_id: 1,
      from: { id: 4242, is_bot: false, first_name: 'Élodie', language_code: 'fr' },
      chat: { id: 4242, type: 'private', first_name: 'Élodie' },
      date: NOW_MS / 1000,
      text: '/start p_TBF-2611-ABCDEF',
      entities: [{ type: 'bot_command', offset: 0, length: 6 }],
    });
    expect(sticker!.message?.sticker).toMatchObject({
      type: 'regular',
      emoji: '🔥',
      is_animated: false,
      is_video: false,
    });
    expect(text!.message?.entities).toBeUndefined();
    expect(edit!.edited_message).toMatchObject({
      message_id: text!.message!.message_id,
      text: 'guide rust',
      edit_date: NOW_MS / 1000,
    });
  });

  test('tap presses the button of the most recent message that has it; answers are recorded once', async () => {
    const user = fake.user();
    const card = await api.sendMessage(user.id, 'Guide complet — 25 €', {
      reply_markup: new InlineKeyboard()
        .text('Buy with BTC', 'buy:btc')
        .text('Buy with Stars', 'buy:xtr')
        .row()
        .url('Seller', 'https://t.me/seller'),
    });
    await api.sendMessage(user.id, 'Anything else?', { reply_markup: new InlineKeyboard().text('Back', 'back') });
    const tapped = await user.tap('Buy with BTC');
    expect(tapped).toMatchObject({ data: 'buy:btc', message: { message_id: card.message_id } });
    const [update] = await api.getUpdates();
    expect(update!.callback_query).toEqual({
      id: tapped.id,
      from: { id: user.id, is_bot: false, first_name: 'Test' },
      message: expect.objectContaining({ message_id: card.message_id, text: 'Guide complet — 25 €' }),
      chat_instance: expect.any(String),
      data: 'buy:btc',
    });

    expect(await api.answerCallbackQuery(tapped.id, { text: 'Creating your order…' })).toBe(true);
    expect(await user.callbackAnswer()).toEqual({ text: 'Creating your order…' });
    expect(await failureOf(api.answerCallbackQuery(tapped.id))).toMatchObject({
      error_code: 400,
      description: 'Bad Request: query is too old and response timeout expired or query ID is invalid',
    });
    expect((await user.tap(/stars/i)).data).toBe('buy:xtr');
    expect(user.buttons()).toEqual(['Back']);
    await expect(user.tap('Seller')).rejects.toThrow('"Seller" is a URL button (https://t.me/seller)');
    await expect(user.tap('Buy with ETH')).rejects.toThrow(
      /sees no button Buy with ETH; buttons on screen:\n.*"Buy with BTC" \| "Buy with Stars" \| "Seller"\n.*"Back"/,
    );
  });

  test('waitForMessage resolves on the bot message (even one sent before the wait) and times out saying what came', async () => {
    const user = fake.user({ first_name: 'Eve' });
    await user.send('/library');
    await api.sendMessage(user.id, 'Your library is empty');
    expect((await user.waitForMessage('library is empty')).text).toBe('Your library is empty');
    const later = user.waitForMessage((m) => m.document !== undefined);
    await api.sendDocument(user.id, new InputFile(new TextEncoder().encode('chapter 1'), 'guide.txt'));
    expect((await later).document?.file_name).toBe('guide.txt');
    await expect(user.waitForMessage(/never/, { timeoutMs: 50 })).rejects.toThrow(
      /timed out after 50 ms: no message for Eve \(\d+\) matching \/never\/; the bot sent: bot-message #2 "Your library is empty", bot-message #3 "document"/,
    );
  });

  test('documents() gives what the bot sent with its bytes and sha256', async () => {
    const user = fake.user();
    const bytes = crypto.getRandomValues(new Uint8Array(50_000));
    await api.sendDocument(user.id, new InputFile(bytes, 'Guide complet.pdf'), { caption: 'Your course' });
    const [received] = user.documents();
    expect(received).toMatchObject({
      file_name: 'Guide complet.pdf',
      mime_type: 'application/pdf',
      file_size: 50_000,
      caption: 'Your course',
    });
    expect(received!.sha256).toBe(sha256(bytes));
  });

  test('block(): the bot gets my_chat_member "kicked" and every send answers 403; unblock() restores both', async () => {
    const user = fake.user();
    await user.block();
    expect(await failureOf(api.sendMessage(user.id, 'hello'))).toMatchObject({
      error_code: 403,
      description: 'Forbidden: bot was blocked by the user',
    });
    await expect(user.send('hi')).rejects.toThrow('blocked the bot');
    await user.unblock();
    expect((await api.sendMessage(user.id, 'welcome back')).text).toBe('welcome back');
    const [blocked, unblocked] = await api.getUpdates();
    expect(blocked!.my_chat_member).toMatchObject({
      from: { id: user.id },
      old_chat_member: { status: 'member' },
      new_chat_member: { status: 'kicked' },
    });
    expect(unblocked!.my_chat_member?.new_chat_member.status).toBe('member');
  });
});

describe('fake Telegram: Stars payments', () => {
  const prices = [{ label: 'Guide complet', amount: 150 }];

  test('invoice -> pre_checkout_query -> ok -> successful_payment (sent twice on demand) -> refund once', async () => {
    const buyer = fake.user({ first_name: 'Farid' });
    const invoice = await api.sendInvoice(
      buyer.id,
      'Guide complet',
      'The whole course as a PDF',
      'order:42',
      'XTR',
      prices,
      { provider_token: '' },
    );
    expect(invoice.invoice).toEqual({
      title: 'Guide complet',
      description: 'The whole course as a PDF',
      start_parameter: '',
      currency: 'XTR',
      total_amount: 150,
    });

    const paying = buyer.pay({ duplicate: true });
    const [checkout] = await api.getUpdates({ timeout: 5 });
    expect(checkout!.pre_checkout_query).toEqual({
      id: expect.any(String),
      from: { id: buyer.id, is_bot: false, first_name: 'Farid' },
      currency: 'XTR',
      total_amount: 150,
      invoice_payload: 'order:42',
    });
    expect(await api.answerPreCheckoutQuery(checkout!.pre_checkout_query!.id, true)).toBe(true);
    const outcome = await paying;
    if (!outcome.ok) throw new Error('payment failed');
    expect(outcome.successful_payment).toEqual({
      currency: 'XTR',
      total_amount: 150,
      invoice_payload: 'order:42',
      telegram_payment_charge_id: expect.stringMatching(/^stx/),
      provider_payment_charge_id: '',
    });
    const payments = await api.getUpdates({ offset: checkout!.update_id + 1 });
    expect(payments.map((u) => u.message?.successful_payment)).toEqual([
      outcome.successful_payment,
      outcome.successful_payment,
    ]);
    expect(payments[0]!.message!.message_id).toBe(payments[1]!.message!.message_id);
    expect(await failureOf(api.answerPreCheckoutQuery(checkout!.pre_checkout_query!.id, true))).toMatchObject({
      error_code: 400,
    });

    const charge = outcome.successful_payment.telegram_payment_charge_id;
    expect(await api.refundStarPayment(buyer.id, charge)).toBe(true);
    expect(await failureOf(api.refundStarPayment(buyer.id, charge))).toMatchObject({
      description: 'Bad Request: CHARGE_ALREADY_REFUNDED',
    });
    expect(fake.charges()).toEqual([
      expect.objectContaining({ telegram_payment_charge_id: charge, user_id: buyer.id, refunded: true }),
    ]);
  });

  test('a refused or unanswered pre-checkout query ends without successful_payment; bad invoices get 400', async () => {
    const buyer = fake.user();
    await api.sendInvoice(buyer.id, 'Guide', 'Course', 'order:7', 'XTR', prices);
    const refusing = buyer.pay();
    const [first] = await api.getUpdates({ timeout: 5 });
    await api.answerPreCheckoutQuery(first!.pre_checkout_query!.id, false, {
      error_message: 'This course is no longer sold',
    });
    expect(await refusing).toEqual({ ok: false, error_message: 'This course is no longer sold', timedOut: false });

    expect(await buyer.pay({ timeoutMs: 50 })).toEqual({ ok: false, timedOut: true });
    const [late] = await api.getUpdates({ offset: first!.update_id + 1 });
    expect(await failureOf(api.answerPreCheckoutQuery(late!.pre_checkout_query!.id, true))).toMatchObject({
      error_code: 400,
    });
    expect(fake.updates().map((r) => r.type)).toEqual(['pre_checkout_query', 'pre_checkout_query']);

    const twoPrices = [...prices, { label: 'Tip', amount: 10 }];
    expect(await failureOf(api.sendInvoice(buyer.id, 'Guide', 'Course', 'p', 'XTR', twoPrices))).toMatchObject({
      description: 'Bad Request: STARS_INVOICE_INVALID',
    });
    expect(await failureOf(api.sendInvoice(buyer.id, 'Guide', 'Course', 'p', 'USD', prices))).toMatchObject({
      description: 'Bad Request: PAYMENT_PROVIDER_INVALID',
    });
    await expect(buyer.pay({ messageId: 999 })).rejects.toThrow('no invoice #999');
  });
});

describe('fake Telegram: bot commands', () => {
  test('setMyCommands per language and scope is recorded; getMyCommands reads it back; bad commands are refused', async () => {
    const english = [
      { command: 'start', description: 'Main menu' },
      { command: 'library', description: 'My courses' },
    ];
    const french = [
      { command: 'start', description: 'Menu principal' },
      { command: 'library', description: 'Mes formations' },
    ];
    await api.setMyCommands(english);
    await api.setMyCommands(french, { language_code: 'fr' });
    await api.setMyCommands([{ command: 'admin', description: 'Admin' }], { scope: { type: 'chat', chat_id: 77 } });
    expect(fake.commands()).toEqual(english);
    expect(fake.commands(undefined, 'fr')).toEqual(french);
    expect(fake.commands({ type: 'chat', chat_id: 77 })).toEqual([{ command: 'admin', description: 'Admin' }]);
    expect(await api.getMyCommands({ language_code: 'fr' })).toEqual(french);
    expect(await api.getMyCommands({ language_code: 'de' })).toEqual([]);
    expect(fake.lastCall('setMyCommands').params).toMatchObject({ scope: { type: 'chat', chat_id: 77 } });
    expect(await failureOf(api.setMyCommands([{ command: 'Start!', description: 'x' }]))).toMatchObject({
      description: 'Bad Request: BOT_COMMAND_INVALID',
    });
    await api.deleteMyCommands({ language_code: 'fr' });
    expect(fake.commands(undefined, 'fr')).toBeUndefined();
  });
});
