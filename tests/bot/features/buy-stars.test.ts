/**
 * Buying with Telegram Stars in the bot: the XTR invoice at the Stars price, the pre-checkout
 * answer (refused in the buyer's language when the course is off sale or already owned), and
 * the successful payment. The buy feature in process; the deliver job run as the worker would.
 * A payment delivered exactly once through the queue is tested on the whole app.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createTestBot, type TestBot } from '../../support/bot.ts';
import { documentsTo, invoiceFor } from '../../support/buying.ts';

let h: TestBot;
beforeAll(() => {
  h = createTestBot();
});
afterAll(() => h.stop());

describe('bot: buy with Telegram Stars', () => {
  test("the pre-checkout is refused in the buyer's language when the course was taken off sale; nothing is charged", async () => {
    const course = await h.course({ title: 'Soon off sale' });
    const user = h.fake.user({ language_code: 'fr' });
    await invoiceFor(user, course.id);
    await h.removeProduct(course.id);
    const refused = await user.pay();
    expect(refused).toEqual({ ok: false, error_message: "Cette formation n'est plus en vente.", timedOut: false });
    expect(h.fake.charges().filter((c) => c.user_id === user.id)).toEqual([]);
  });

  test('paying an invoice a second time after the course was delivered is refused at checkout ("already owned")', async () => {
    const course = await h.course({ title: 'Twice paid' });
    const user = h.fake.user({ language_code: 'en' });
    const invoice = await invoiceFor(user, course.id);
    const first = await user.pay({ messageId: invoice.message_id });
    expect(first.ok).toBe(true);
    if (!first.ok) throw new Error(`checkout refused: ${JSON.stringify(first)}`);
    await h.fake.idle();
    await h.deliver(first.successful_payment.invoice_payload);
    await user.waitForMessage(/Thank you! Enjoy your course/);
    const again = await user.pay({ messageId: invoice.message_id });
    expect(again).toEqual({
      ok: false,
      error_message: 'You already own this course — see /library.',
      timedOut: false,
    });
    expect(documentsTo(h.fake, user.id)).toHaveLength(1);
  });
});
