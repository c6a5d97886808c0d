import type { Translate } from '../locales/index.ts';
import type { PaymentView } from '../modules/payments/model.ts';
import { qrPng } from '../lib/qr-png.ts';
import { formatPrice } from './format.ts';
import { currencyLabel } from './keyboards/buy.ts';
import { escapeHtml, shorten } from './reply.ts';

/** Telegram's limit for a photo caption. The HTML is counted: what Telegram shows is never longer. */
export const CAPTION_MAX = 1024;
const TITLE_MAX = 120;

export interface PaymentScreen {
  view: PaymentView;
  title: string;
  language: string;
  /** When the buyer must have paid by (the checkout's BuyerPayment), and the time it was read. */
  deadline: number | null;
  now: number;
}

/** "58 min", "3 h 5 min": whole minutes left, never more than what is really left. */
export function timeLeft(t: Translate, ms: number): string {
  const minutes = Math.max(1, Math.floor(ms / 60_000));
  if (minutes < 60) return t('duration-minutes', { minutes });
  return t('duration-hours', { hours: Math.floor(minutes / 60), minutes: minutes % 60 });
}

function statusLine(t: Translate, screen: PaymentScreen, currency: string): string {
  const { view, deadline, now } = screen;
  switch (view.status) {
    case 'awaiting_payment':
      return deadline !== null && deadline <= now ? t('pay-status-expired') : t('pay-status-waiting');
    case 'confirming':
      return t('pay-status-confirming');
    case 'partially_paid':
      return t('pay-status-partial', {
        paid: view.actually_paid ?? '0',
        missing: view.missing_amount ?? '?',
        currency,
      });
    case 'paid':
      return t('pay-status-paid');
    case 'delivered':
      return t('pay-status-delivered');
    case 'expired':
      return t('pay-status-expired');
    case 'failed':
      return t('pay-status-failed');
    case 'cancelled':
      return t('pay-status-cancelled');
    case 'refunded':
      return t('pay-status-refunded');
  }
}

const OPEN = ['awaiting_payment', 'partially_paid'];

/**
 * The text of a crypto payment message (a photo caption): what to send where, the time left and
 * the state. Address, amount and memo are `<code>`: one tap copies them.
 */
export function paymentCaption(t: Translate, screen: PaymentScreen): string {
  const { view, deadline, now } = screen;
  const currency = currencyLabel(view.pay_currency);
  const render = (titleMax: number) => {
    const parts = [
      t('pay-title', {
        title: escapeHtml(shorten(screen.title, titleMax)),
        price: formatPrice(view.price_cents, view.currency, screen.language),
      }),
    ];
    if (OPEN.includes(view.status) && view.pay_address) {
      parts.push(
        t('pay-instructions', { amount: view.pay_amount ?? '?', currency, address: escapeHtml(view.pay_address) }),
      );
      if (view.pay_extra_id) parts.push(t('pay-memo', { memo: escapeHtml(view.pay_extra_id) }));
    }
    if (OPEN.includes(view.status) && deadline !== null && deadline > now)
      parts.push(t('pay-expires-in', { time: timeLeft(t, deadline - now) }));
    parts.push(statusLine(t, screen, currency));
    return parts.join('\n\n');
  };
  // Everything but the title has a bounded length (addresses and memos are < 130 characters).
  const full = render(TITLE_MAX);
  return full.length <= CAPTION_MAX ? full : render(24);
}

/** The payment URI (`bitcoin:addr?amount=...`, or the bare address) as a PNG QR code. */
export function paymentQr(uri: string): Buffer {
  return qrPng(uri, { errorCorrectionLevel: 'M', margin: 2, width: 480 });
}
