/**
 * The crypto payment message's caption in each state an order goes through: what the buyer is
 * told to do while it is open, and only the outcome once it is closed.
 */
import { describe, expect, test } from 'bun:test';
import { CAPTION_MAX, paymentCaption, timeLeft } from '../../src/bot/payment-view.ts';
import { translate } from '../../src/locales/index.ts';
import type { PaymentView } from '../../src/modules/payments/model.ts';

const en = (key: string, args?: Record<string, string | number>) => translate('en', key, args);
const NOW = 1_790_000_000_000;

const view = (overrides: Partial<PaymentView> = {}): PaymentView => ({
  payment_id: '5077125051',
  order_id: 'ord_1',
  status: 'awaiting_payment',
  provider_status: 'waiting',
  pay_address: 'bc1qexampleaddress0000000000000000000000',
  pay_extra_id: null,
  pay_amount: '0.00071',
  pay_currency: 'btc',
  actually_paid: null,
  missing_amount: null,
  price_cents: 4900,
  currency: 'USD',
  expires_at: null,
  payment_uri: null,
  ...overrides,
});

const caption = (
  overrides: Partial<PaymentView>,
  deadline: number | null = NOW + 58 * 60_000,
  title = 'Bitcoin from zero',
) => paymentCaption(en, { view: view(overrides), title, language: 'en', deadline, now: NOW });

describe('payment caption', () => {
  test('an open payment tells where to send what, the memo when the network needs one, and the time left', () => {
    const text = caption({ pay_extra_id: '123456' });
    expect(text).toContain('Bitcoin from zero');
    expect(text).toContain('<code>0.00071</code>');
    expect(text).toContain('<code>bc1qexampleaddress0000000000000000000000</code>');
    expect(text).toContain('memo / tag');
    expect(text).toContain('<code>123456</code>');
    expect(text).toContain('Expires in 58 min');
    expect(text).toContain('waiting for your payment');
  });

  test('an open payment past its deadline says expired and shows no time left', () => {
    const text = caption({}, NOW - 1);
    expect(text).toContain('expired');
    expect(text).not.toContain('Expires in');
  });

  test('a partial payment says what arrived and what is missing, and still shows the address', () => {
    const text = caption({ status: 'partially_paid', actually_paid: '0.0005', missing_amount: '0.00021' });
    expect(text).toContain('received 0.0005');
    expect(text).toContain('missing <code>0.00021</code>');
    expect(text).toContain('bc1qexampleaddress');
    // Amounts the provider did not give are shown as such, not as a crash.
    expect(caption({ status: 'partially_paid' })).toContain('received 0 ');
  });

  test.each([
    ['confirming', 'waiting for the network to confirm'],
    ['paid', 'paid! Your course is on its way'],
    ['delivered', 'paid and delivered'],
    ['expired', 'expired'],
    ['failed', 'the payment failed'],
    ['cancelled', 'cancelled'],
    ['refunded', 'refunded'],
  ] as const)('a %s payment shows its state and no longer asks for money', (status, shown) => {
    const text = caption({ status });
    expect(text).toContain(shown);
    expect(text).not.toContain('bc1qexampleaddress');
    expect(text).not.toContain('Expires in');
  });

  test('a very long title is cut so the caption fits a Telegram photo caption', () => {
    const title = `${'Everything about hardware wallets & <seed> phrases '.repeat(30)}end`;
    const text = caption({ pay_extra_id: 'm'.repeat(120) }, NOW + 3 * 3600_000, title);
    expect(text.length).toBeLessThanOrEqual(CAPTION_MAX);
    expect(text).toContain('…');
    expect(text).not.toContain('<seed>');
    expect(text).toContain('Expires in 3 h 0 min');
  });

  test('time left is whole minutes, at least one', () => {
    expect(timeLeft(en, 10_000)).toBe('1 min');
    expect(timeLeft(en, 125 * 60_000 + 59_000)).toBe('2 h 5 min');
  });
});
