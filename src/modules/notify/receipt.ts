/**
 * The buyer's receipt: product, price paid, order id, the signed download link and a
 * "get a new link" URL opened by an order token (GET /api/orders/{id}/download), so a buyer
 * whose link expired is never stuck. Sent by the deliver job (before the order turns
 * delivered) for a buyer known only by e-mail; queued as an ordinary e-mail for a Telegram
 * buyer who also gave an address.
 */
import { formatMoney } from '../../lib/number-format.ts';
import { localeOf } from '../../locales/index.ts';
import type { OrderRow } from '../orders/service.ts';
import type { OrderTokens } from '../orders/tokens.ts';
import type { UserRow } from '../users/service.ts';
import type { EmailJob, Notify } from './service.ts';

export interface ReceiptDeps {
  notify: Pick<Notify, 'sendNow' | 'enqueue'>;
  tokens: Pick<OrderTokens, 'issue'>;
  titleOf: (productId: string) => string | undefined;
  /** The order's "get a new link" URL for a token (the HTTP face's route); none without PUBLIC_URL. */
  renewLink?: (orderId: string, token: string) => string;
  linkHours: number;
}

export function createReceipts({ notify, tokens, titleOf, renewLink, linkHours }: ReceiptDeps) {
  function message(order: OrderRow, buyer: UserRow, link: { url: string }): EmailJob {
    const lang = localeOf(buyer.language);
    const token = tokens.issue(order.id, 'email');
    return {
      purpose: 'receipt',
      to: buyer.email!,
      lang,
      args: {
        title: titleOf(order.productId) ?? order.productId,
        amount: formatMoney(lang, order.priceCents, order.currency),
        order: order.id,
        hours: linkHours,
        download: link.url,
        // Without PUBLIC_URL there is no download link either: the deliver job fails before this.
        renew: renewLink?.(order.id, token) ?? '',
      },
    };
  }

  return {
    /** Resolves once the SMTP server accepted the receipt; throws (MailError) otherwise. */
    async send(order: OrderRow, buyer: UserRow, link: { url: string }): Promise<void> {
      await notify.sendNow(message(order, buyer, link));
    },
    /** A copy for a buyer served elsewhere (Telegram) who gave an e-mail: one queued e-mail. */
    queue(order: OrderRow, buyer: UserRow, link: { url: string }): boolean {
      if (!buyer.email) return false;
      const m = message(order, buyer, link);
      return notify.enqueue('receipt', order.id, m.to, m.lang, m.args);
    },
  };
}

export type Receipts = ReturnType<typeof createReceipts>;
