/**
 * Buying with Telegram Stars in the bot (issue 6, "Buy with Telegram Stars", Done-when 2 in
 * process): the invoice, the pre-checkout answer within Telegram's 10 s, the successful payment
 * applied once per charge, and the delivery with its thank-you.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { TelegramUser } from '../fakes/telegram.ts';
import { startBuyShop, type BuyShop } from './buy-shop.ts';
import { eventually, handled } from './harness.ts';

let shop: BuyShop;
beforeAll(async () => {
  shop = await startBuyShop();
});
afterAll(() => shop.stop());

const TIMEOUT = 20_000;

async function invoiceFor(user: TelegramUser, productId: string) {
  await user.send(`/start p_${productId}`);
  await user.waitForMessage(productId);
  await user.tap(/Buy with Stars|Acheter en Stars/);
  return user.waitForMessage((m) => m.invoice !== undefined);
}

const documentsTo = (chatId: number) =>
  shop.h.fake
    .calls('sendDocument')
    .filter((call) => String(call.params.chat_id) === String(chatId) && call.response.ok);

describe('bot: buy with Telegram Stars', () => {
  test(
    'an XTR invoice at the Stars price; paying it delivers the file exactly once although successful_payment arrives twice',
    async () => {
      const course = await shop.course({ title: 'Stars course', price_cents: 4900 });
      const user = shop.h.fake.user({ first_name: 'Stella', language_code: 'en' });
      const invoice = await invoiceFor(user, course.id);
      const stars = shop.h.app.stars.priceOf({ price_cents: 4900, stars_price: null });
      expect(invoice.invoice).toMatchObject({ title: 'Stars course', currency: 'XTR', total_amount: stars });
      expect(shop.h.fake.calls('sendInvoice').at(-1)!.params).toMatchObject({ currency: 'XTR', provider_token: '' });

      const paid = await user.pay({ duplicate: true });
      if (!paid.ok) throw new Error(`checkout refused: ${JSON.stringify(paid)}`);
      expect(paid.updates).toHaveLength(2);
      await user.waitForMessage('Payment received, thank you! Your course is on its way.');
      const document = await user.waitForMessage((m) => m.document !== undefined, { timeoutMs: 10_000 });
      await user.waitForMessage(/Thank you! Enjoy your course Stars course/, { timeoutMs: 10_000 });
      for (const record of paid.updates) await handled(shop.h, record.update.update_id as number);

      const orderId = paid.successful_payment.invoice_payload;
      await eventually(() => shop.h.app.orders.get(orderId).status === 'delivered', 'the order delivered');
      expect(user.documents().map((d) => d.sha256)).toEqual([course.file.sha256]);
      expect(document.document?.file_name).toBe('course.pdf');
      expect(documentsTo(user.id)).toHaveLength(1);
      expect(user.messages().filter((m) => m.text?.includes('Payment received'))).toHaveLength(1);
      const toPaid = shop.h.app.orders.events(orderId).filter((e) => e.toStatus === 'paid');
      expect(toPaid).toEqual([expect.objectContaining({ actor: 'stars' })]);
      expect(shop.h.logs.filter((line) => line.level >= 50)).toEqual([]);
    },
    TIMEOUT,
  );

  test(
    "the pre-checkout is refused in the buyer's language when the course was taken off sale; nothing is charged",
    async () => {
      const course = await shop.course({ title: 'Soon off sale' });
      const user = shop.h.fake.user({ language_code: 'fr' });
      await invoiceFor(user, course.id);
      await shop.h.removeProduct(course.id);
      const refused = await user.pay();
      expect(refused).toEqual({ ok: false, error_message: "Cette formation n'est plus en vente.", timedOut: false });
      expect(shop.h.fake.charges().filter((c) => c.user_id === user.id)).toEqual([]);
    },
    TIMEOUT,
  );

  test(
    'paying an invoice a second time after the course was delivered is refused at checkout ("already owned")',
    async () => {
      const course = await shop.course({ title: 'Twice paid' });
      const user = shop.h.fake.user({ language_code: 'en' });
      const invoice = await invoiceFor(user, course.id);
      const first = await user.pay({ messageId: invoice.message_id });
      expect(first.ok).toBe(true);
      await user.waitForMessage(/Thank you! Enjoy your course/, { timeoutMs: 10_000 });
      const again = await user.pay({ messageId: invoice.message_id });
      expect(again).toEqual({
        ok: false,
        error_message: 'You already own this course — see /library.',
        timedOut: false,
      });
      expect(documentsTo(user.id)).toHaveLength(1);
    },
    TIMEOUT,
  );
});
