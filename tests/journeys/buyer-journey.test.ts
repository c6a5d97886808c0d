/**
 * The bot in the running app, for what crosses the faces: crypto payments confirmed by IPNs
 * over HTTP and delivered by the job queue (the file, the thank-you, the payment message's
 * final state; in English and in French), a course owned that way refused a second time,
 * Stars delivered exactly once although paid twice, and a download link served by the HTTP
 * face. The features alone: tests/bot/features/.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createHash } from 'node:crypto';
import { cb } from '../../src/bot/keyboards/callback-data.ts';
import { TelegramErrors } from '../fakes/telegram.ts';
import { eventually, handled, startTestApp, type TestApp } from '../support/app.ts';
import { documentsTo, invoiceFor, paymentIdOf, payWith } from '../support/buying.ts';

const TIMEOUT = 20_000;
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

let h: TestApp;
beforeAll(async () => {
  // PUBLIC_URL set: the bot gets its updates on a webhook, IPNs name their callback, links can be signed.
  h = await startTestApp({ telegram: true, nowpayments: true, publicUrl: true });
});
afterAll(() => h.stop());

describe('bot: paying with crypto through IPNs', () => {
  test(
    'IPNs move the payment: Check status shows partially paid with what is missing, then the file, the thank-you and the final state arrive',
    async () => {
      const course = await h.course({ title: 'Lightning in depth' });
      const user = h.fake.user({ first_name: 'Pia', language_code: 'en' });
      const message = await payWith(user, course.id, 'LTC');
      const id = paymentIdOf(message);
      const paid = Number((h.provider.payment(id)!.pay_amount / 2).toFixed(8));

      expect(await h.provider.advance(id, 'partially_paid', { url: h.ipnUrl(), actuallyPaid: paid })).toBe(200);
      await user.tap('🔄 Check status');
      const partial = await user.waitForMessage(/partially paid/);
      expect(partial.message_id).toBe(message.message_id);
      const view = await h.app.payments.view(id);
      expect(partial.caption).toContain(`received ${view.actually_paid} LTC, missing ${view.missing_amount} LTC`);
      expect(user.buttons(message.message_id)).toEqual(['🔄 Check status', '✖️ Cancel']);

      await user.tap('🔄 Check status');
      expect((await user.callbackAnswer()).text).toBe('No change yet. Check again in a minute.');

      expect(await h.provider.advance(id, 'finished', { url: h.ipnUrl() })).toBe(200);
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
      expect(h.app.orders.get(view.order_id).status).toBe('delivered');
    },
    TIMEOUT,
  );

  test(
    'a French buyer pays in French and is thanked in French',
    async () => {
      const course = await h.course({ title: 'Cours en français' });
      const user = h.fake.user({ first_name: 'Amélie', language_code: 'fr' });
      const message = await payWith(user, course.id, 'SOL');
      expect(message.caption).toContain('Envoyez exactement');
      expect(message.caption).toContain('État : en attente de votre paiement');
      expect(user.buttons()).toEqual(["🔄 Vérifier l'état", '✖️ Annuler']);
      expect(await h.provider.advance(paymentIdOf(message), 'finished', { url: h.ipnUrl() })).toBe(200);
      const thanks = await user.waitForMessage(/Merci ! Bonne formation avec Cours en français/, { timeoutMs: 10_000 });
      expect(thanks.reply_markup?.inline_keyboard.flat().map((b) => b.text)).toEqual(['⭐ Laisser un avis']);
    },
    TIMEOUT,
  );

  test(
    'a course the buyer already owns: "see /library", no new order',
    async () => {
      const course = await h.course({ title: 'Owned already' });
      const user = h.fake.user({ language_code: 'en' });
      const message = await payWith(user, course.id, 'BTC');
      expect(await h.provider.advance(paymentIdOf(message), 'finished', { url: h.ipnUrl() })).toBe(200);
      await user.waitForMessage(/Thank you!/, { timeoutMs: 10_000 });
      const orders = h.app.orders.list({ product_id: course.id }).length;

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
      expect(h.app.orders.list({ product_id: course.id })).toHaveLength(orders);
    },
    TIMEOUT,
  );
});

describe('bot: paying with Telegram Stars through the queue', () => {
  test(
    'an XTR invoice at the Stars price; paying it delivers the file exactly once although successful_payment arrives twice',
    async () => {
      const course = await h.course({ title: 'Stars course', price_cents: 4900 });
      const user = h.fake.user({ first_name: 'Stella', language_code: 'en' });
      const invoice = await invoiceFor(user, course.id);
      const stars = h.app.stars.priceOf({ price_cents: 4900, stars_price: null });
      expect(invoice.invoice).toMatchObject({ title: 'Stars course', currency: 'XTR', total_amount: stars });
      expect(h.fake.calls('sendInvoice').at(-1)!.params).toMatchObject({ currency: 'XTR', provider_token: '' });

      const paid = await user.pay({ duplicate: true });
      if (!paid.ok) throw new Error(`checkout refused: ${JSON.stringify(paid)}`);
      expect(paid.updates).toHaveLength(2);
      await user.waitForMessage('Payment received, thank you! Your course is on its way.');
      const document = await user.waitForMessage((m) => m.document !== undefined, { timeoutMs: 10_000 });
      await user.waitForMessage(/Thank you! Enjoy your course Stars course/, { timeoutMs: 10_000 });
      for (const record of paid.updates) await handled(h, record.update.update_id as number);

      const orderId = paid.successful_payment.invoice_payload;
      await eventually(() => h.app.orders.get(orderId).status === 'delivered', 'the order delivered');
      expect(user.documents().map((d) => d.sha256)).toEqual([course.file.sha256]);
      expect(document.document?.file_name).toBe('course.pdf');
      expect(documentsTo(h.fake, user.id)).toHaveLength(1);
      expect(user.messages().filter((m) => m.text?.includes('Payment received'))).toHaveLength(1);
      const toPaid = h.app.orders.events(orderId).filter((e) => e.toStatus === 'paid');
      expect(toPaid).toEqual([expect.objectContaining({ actor: 'stars' })]);
      expect(h.logs.filter((line) => line.level >= 50)).toEqual([]);
    },
    TIMEOUT,
  );
});

describe('bot: download again through a signed link', () => {
  test('when Telegram will not take the file, the buyer gets a fresh download link that serves the same bytes', async () => {
    const course = await h.course({ title: 'Big course' });
    const user = h.fake.user({ language_code: 'fr' });
    // Owned the way a payment makes it: the order paid, the deliver job sends the file.
    const buyer = h.app.users.upsertTelegram({ telegramId: user.id, languageCode: 'fr' });
    const { order } = h.app.orders.create({ buyerId: buyer.id, productId: course.id, method: 'crypto' });
    h.app.orders.transition(order.id, { to: 'paid', actor: 'test' });
    await eventually(() => user.documents().length === 1, 'the delivered file');
    // The thank-you follows the file and names the course too: once it is in, the next message
    // naming the course can only be the card.
    await eventually(
      () => user.messages().some((m) => m.text?.includes('Merci ! Bonne formation avec Big course')),
      'the thank-you',
    );
    await user.send('/library');
    await user.waitForMessage(/Mes achats/);
    await user.tap('📘 Big course');
    await user.waitForMessage(/Big course/);
    h.fake.failNext('sendDocument', TelegramErrors.badRequest('DOCUMENT_INVALID'));
    await user.tap('⬇️ Télécharger à nouveau');
    const message = await user.waitForMessage(/lien de téléchargement personnel/);
    const button = message.reply_markup!.inline_keyboard.flat()[0]!;
    expect(button.text).toBe('⬇️ Télécharger');
    expect(button.url).toContain('/api/downloads/');
    const response = await fetch(button.url!);
    expect(response.status).toBe(200);
    expect(sha256(new Uint8Array(await response.arrayBuffer()))).toBe(course.file.sha256);
  });
});
