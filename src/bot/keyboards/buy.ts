import { InlineKeyboard } from 'grammy';
import type { Translate } from '../../locales/index.ts';
import type { PaymentView } from '../../modules/payments/model.ts';
import type { BotContext } from '../context.ts';
import { cb } from './callback-data.ts';

/** Shown first, in this order, when the provider offers them; everything else is behind "more". */
export const COMMON_CURRENCIES = ['btc', 'eth', 'usdttrc20', 'ltc', 'sol', 'ton'] as const;
const PER_ROW = 3;
/** Currencies per "more" page: four rows of three. */
export const CURRENCIES_PER_PAGE = 12;

const NAMED: Record<string, string> = { bnbbsc: 'BNB (BSC)', bnbmainnet: 'BNB', maticmainnet: 'MATIC' };
const TOKENS = ['usdt', 'usdc', 'busd', 'dai'];

/** `usdttrc20` -> "USDT (TRC20)", `btc` -> "BTC": what buyers call a currency. */
export function currencyLabel(code: string): string {
  const named = NAMED[code];
  if (named) return named;
  const token = TOKENS.find((prefix) => code.startsWith(prefix) && code.length > prefix.length);
  return token ? `${token.toUpperCase()} (${code.slice(token.length).toUpperCase()})` : code.toUpperCase();
}

/** The provider's list split into the common ones (page 0) and the rest, alphabetically, by pages. */
export function currencyPages(available: readonly string[]): string[][] {
  const offered = new Set(available.map((code) => code.toLowerCase()));
  const common = COMMON_CURRENCIES.filter((code) => offered.has(code));
  const rest = [...offered].filter((code) => !common.includes(code as (typeof COMMON_CURRENCIES)[number])).sort();
  const pages = [common as string[]];
  for (let i = 0; i < rest.length; i += CURRENCIES_PER_PAGE) pages.push(rest.slice(i, i + CURRENCIES_PER_PAGE));
  // No common currency offered at all: the first page of the rest is the first screen.
  return common.length === 0 && pages.length > 1 ? pages.slice(1) : pages;
}

/** One page of currency buttons, the way to the other pages, and back to the product card. */
export function currencyKeyboard(ctx: BotContext, productId: string, pages: string[][], page: number): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  (pages[page] ?? []).forEach((code, index) => {
    keyboard.text(currencyLabel(code), cb.coin.pack({ id: productId, code }));
    if (index % PER_ROW === PER_ROW - 1) keyboard.row();
  });
  keyboard.row();
  if (page === 0 && pages.length > 1)
    keyboard.text(ctx.t('buy-more-currencies'), cb.coins.pack({ id: productId, page: 1 }));
  if (page > 1) keyboard.text(ctx.t('button-previous'), cb.coins.pack({ id: productId, page: page - 1 }));
  if (page > 0 && page + 1 < pages.length)
    keyboard.text(ctx.t('button-next'), cb.coins.pack({ id: productId, page: page + 1 }));
  keyboard.row();
  if (page > 0) keyboard.text(ctx.t('buy-common-currencies'), cb.coins.pack({ id: productId, page: 0 })).row();
  return keyboard.text(ctx.t('button-back'), cb.product.pack({ id: productId, back: undefined }));
}

/**
 * The buttons under a crypto payment message: while it can still be paid, check and cancel;
 * once paid, the library; once over without payment, another way to pay.
 */
export function paymentKeyboard(
  t: Translate,
  view: Pick<PaymentView, 'payment_id' | 'status'>,
  productId: string,
): InlineKeyboard {
  switch (view.status) {
    case 'awaiting_payment':
    case 'partially_paid':
      return new InlineKeyboard()
        .text(t('button-check-status'), cb.pay.pack({ action: 'check', id: view.payment_id }))
        .text(t('button-cancel-payment'), cb.pay.pack({ action: 'cancel', id: view.payment_id }));
    case 'confirming':
      return new InlineKeyboard().text(t('button-check-status'), cb.pay.pack({ action: 'check', id: view.payment_id }));
    case 'paid':
    case 'delivered':
      return libraryKeyboard(t);
    default:
      return new InlineKeyboard().text(t('button-other-currency'), cb.product.pack({ id: productId, back: undefined }));
  }
}

export const libraryKeyboard = (t: Translate) => new InlineKeyboard().text(t('menu-library'), cb.library.pack({}));
