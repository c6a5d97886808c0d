import { PRODUCT_ID_PATTERN } from '../../lib/ids.ts';

/**
 * Callback data of every inline button: `<version>:<tag>[:<field>...]`, compact ASCII well
 * under Telegram's 64-byte limit. Bump VERSION when a layout changes incompatibly: buttons
 * of an older deploy then decode as `stale` and get a polite answer instead of a wrong action.
 *
 * A route is declared once with typed fields and both packs (for keyboards) and unpacks (for
 * handlers), so a button and its handler cannot disagree on the layout.
 */
export const CALLBACK_VERSION = 1;
export const CALLBACK_DATA_MAX_BYTES = 64;

export interface Field<T> {
  encode(value: T): string;
  /** undefined = malformed */
  decode(raw: string): T | undefined;
  optional?: boolean;
}

const SAFE = /^[A-Za-z0-9_.-]*$/;

export const int = (max = 9999): Field<number> => ({
  encode: (value) => String(value),
  decode: (raw) => (/^\d{1,6}$/.test(raw) && Number(raw) <= max ? Number(raw) : undefined),
});

export const oneOf = <const T extends string>(...values: T[]): Field<T> => ({
  encode: (value) => value,
  decode: (raw) => ((values as string[]).includes(raw) ? (raw as T) : undefined),
});

export const productIdField: Field<string> = {
  encode: (value) => value,
  decode: (raw) => (PRODUCT_ID_PATTERN.test(raw) ? raw : undefined),
};

export const optional = <T>(field: Field<T>): Field<T | undefined> => ({
  optional: true,
  encode: (value) => (value === undefined ? '' : field.encode(value)),
  decode: (raw) => (raw === '' ? undefined : field.decode(raw)),
});

/** A crypto currency as the payment provider names it: `btc`, `usdttrc20`. */
export const currencyField: Field<string> = {
  encode: (value) => value,
  decode: (raw) => (/^[a-z0-9]{2,20}$/.test(raw) ? raw : undefined),
};

/** A payment provider's payment id (NOWPayments: digits). */
export const paymentIdField: Field<string> = {
  encode: (value) => value,
  decode: (raw) => (/^[A-Za-z0-9_-]{1,40}$/.test(raw) ? raw : undefined),
};

/** admin: an order, product, user or seller id. */
export const adminArgField: Field<string> = {
  encode: (value) => value,
  decode: (raw) => (/^[A-Za-z0-9-]{1,40}$/.test(raw) ? raw : undefined),
};

/** reviews: a rating of 1 to 5 stars. */
export const starsField: Field<number> = {
  encode: (value) => String(value),
  decode: (raw) => (/^[1-5]$/.test(raw) ? Number(raw) : undefined),
};

/** What a product list shows: a category, a seller's shop, or the session's last search. */
export type ListScope = { kind: 'category'; id: number } | { kind: 'seller'; id: number } | { kind: 'search' };
export const sortsShown = ['new', 'top', 'rel'] as const;
export type ListSort = (typeof sortsShown)[number];
export interface ListRef {
  scope: ListScope;
  sort: ListSort;
  page: number;
}

const scopeCode = (scope: ListScope) =>
  scope.kind === 'category' ? `c${scope.id}` : scope.kind === 'seller' ? `s${scope.id}` : 'q';

export const scopeField: Field<ListScope> = {
  encode: scopeCode,
  decode(raw) {
    if (raw === 'q') return { kind: 'search' };
    const match = /^([cs])(\d{1,9})$/.exec(raw);
    if (!match) return undefined;
    return { kind: match[1] === 'c' ? 'category' : 'seller', id: Number(match[2]) };
  },
};

const MAX_PAGE = 999;
const sortField = oneOf(...sortsShown);
const pageField = int(MAX_PAGE);

/** A whole list position in one field (`c12.top.3`), so a product card can lead back to it. */
export const listRefField: Field<ListRef> = {
  encode: ({ scope, sort, page }) => `${scopeCode(scope)}.${sort}.${page}`,
  decode(raw) {
    const [scopeRaw = '', sortRaw = '', pageRaw = '', ...rest] = raw.split('.');
    if (rest.length > 0) return undefined;
    const scope = scopeField.decode(scopeRaw);
    const sort = sortField.decode(sortRaw);
    const page = pageField.decode(pageRaw);
    return scope && sort && page !== undefined ? { scope, sort, page } : undefined;
  },
};

// biome-ignore lint/suspicious/noExplicitAny: a field of any value type; Values<F> recovers each one.
export type Fields = Record<string, Field<any>>;
export type Values<F extends Fields> = { [K in keyof F]: F[K] extends Field<infer T> ? T : never };

/**
 * Which per-user limit a press counts against: `browse` (moving around: lists, cards, menus; a
 * generous budget of its own) or `messages` (buttons that act like a typed request: they create an
 * order or a payment, send a file or write a review), shared with typed messages.
 */
export type ButtonBudget = 'browse' | 'messages';

export interface CallbackRoute<F extends Fields> {
  readonly tag: string;
  readonly budget: ButtonBudget;
  /** Matches this route's data (any fields); unpack decides whether they are well formed. */
  readonly pattern: RegExp;
  pack(values: Values<F>): string;
  unpack(data: string): Values<F> | undefined;
}

export function callbackRoute<const F extends Fields>(
  tag: string,
  fields: F,
  budget: ButtonBudget = 'browse',
): CallbackRoute<F> {
  if (!/^[a-z]+$/.test(tag)) throw new Error(`callback tag "${tag}" must be lowercase letters`);
  const names = Object.keys(fields) as (keyof F & string)[];
  const prefix = `${CALLBACK_VERSION}:${tag}`;
  return {
    tag,
    budget,
    pattern: new RegExp(`^${prefix}(?::|$)`),
    pack(values) {
      const parts = names.map((name) => {
        const encoded = fields[name]!.encode(values[name]);
        if (encoded.includes(':') || !SAFE.test(encoded))
          throw new Error(`callback field ${tag}.${name} is not compact: ${encoded}`);
        return encoded;
      });
      while (parts.length > 0 && parts.at(-1) === '' && fields[names[parts.length - 1]!]!.optional) parts.pop();
      const data = [prefix, ...parts].join(':');
      if (Buffer.byteLength(data) > CALLBACK_DATA_MAX_BYTES) throw new Error(`callback data too long: ${data}`);
      return data;
    },
    unpack(data) {
      if (data !== prefix && !data.startsWith(`${prefix}:`)) return undefined;
      const parts = data === prefix ? [] : data.slice(prefix.length + 1).split(':');
      if (parts.length > names.length) return undefined;
      const values: Record<string, unknown> = {};
      for (const [index, name] of names.entries()) {
        const field = fields[name]!;
        const raw = parts[index];
        if (raw === undefined && !field.optional) return undefined;
        const value = field.decode(raw ?? '');
        if (value === undefined && !(field.optional && (raw ?? '') === '')) return undefined;
        values[name] = value;
      }
      return values as Values<F>;
    },
  };
}

/**
 * Every button of the bot. Features add their routes here, next to the others, so tags stay
 * unique (a test checks it). buy.crypto / buy.stars are handled by features/buy.ts.
 */
export const cb = {
  menu: callbackRoute('menu', {}),
  categories: callbackRoute('cats', {}),
  list: callbackRoute('list', { scope: scopeField, sort: sortField, page: pageField }),
  product: callbackRoute('prod', { id: productIdField, back: optional(listRefField) }),
  buy: callbackRoute('buy', { method: oneOf('crypto', 'stars'), id: productIdField }, 'messages'),
  search: callbackRoute('search', {}),
  language: callbackRoute('lang', { code: optional(oneOf('en', 'fr')) }),
  library: callbackRoute('lib', {}),
  support: callbackRoute('support', {}),
  help: callbackRoute('help', {}),
  // buy (features/buy.ts): a page of currencies (0 = the common ones), a chosen currency,
  // and the buttons of a crypto payment message.
  coins: callbackRoute('coins', { id: productIdField, page: int(99) }),
  coin: callbackRoute('coin', { id: productIdField, code: currencyField }, 'messages'),
  pay: callbackRoute('pay', { action: oneOf('check', 'cancel'), id: paymentIdField }, 'messages'),
  // "Leave a review" of a product (the thank-you after delivery; features/reviews.ts answers it).
  review: callbackRoute('review', { id: productIdField }),
  // library (features/library.ts): a page of purchases, one purchase (and the page it is on),
  // and "download again".
  libraryPage: callbackRoute('libpage', { page: int(999) }),
  purchase: callbackRoute('owned', { id: productIdField, page: int(999) }),
  download: callbackRoute('dl', { id: productIdField }, 'messages'),
  // reviews (features/reviews.ts): the stars chosen, and "skip the comment".
  rate: callbackRoute('rate', { id: productIdField, stars: starsField }, 'messages'),
  rateSkip: callbackRoute('rateskip', { id: productIdField }, 'messages'),
  // support (features/support.ts): write a new ticket, or give up writing it.
  ticketNew: callbackRoute('ticket', {}),
  ticketCancel: callbackRoute('noticket', {}),
  // admin (features/admin.ts): the operator's screens; every press re-checks ADMIN_USER_ID.
  admin: callbackRoute(
    'adm',
    {
      verb: oneOf(
        'menu',
        'audit',
        'refund',
        'stats',
        'chart',
        'tickets',
        'close',
        'bcaud',
        'bcgo',
        'bcstop',
        'payouts',
        // Dead jobs (list, retry, discard).
        'jobs',
        'jretry',
        'jdrop',
        // Orders (screen, lists, deliver again, accept a partial payment, a flagged event handled).
        'orders',
        'undeliv',
        'partials',
        'flagged',
        'redeliver',
        'accept',
        'handled',
        // A flagged Stars charge that paid nothing, given back.
        'starsback',
        // The payouts CSV of the last 30 days.
        'pcsv',
      ),
      arg: optional(adminArgField),
    },
    'messages',
  ),
  // sellers (features/sell.ts): "Sell" in the main menu.
  sell: callbackRoute('sell', {}),
  // payouts (features/payout.ts): request the available balance.
  payoutRequest: callbackRoute('payout', {}, 'messages'),
  // payout address (features/payout-address.ts): change it (behind the e-mail code when verified).
  payoutAddress: callbackRoute('payaddr', {}, 'messages'),
  // dashboard (features/dashboard.ts): open it (from a sale notice too), export the sales.
  dashboard: callbackRoute('dash', {}, 'messages'),
  salesCsv: callbackRoute('salescsv', {}, 'messages'),
  // API keys (features/api-key.ts): create one, revoke one by its id.
  apiKeyNew: callbackRoute('keynew', {}, 'messages'),
  apiKeyRevoke: callbackRoute(
    'keyrevoke',
    { id: { encode: (v: string) => v, decode: (raw: string) => (/^[A-Za-z0-9]{4,20}$/.test(raw) ? raw : undefined) } },
    'messages',
  ),
  // my courses (features/my-courses.ts): a page of the seller's courses, one course (and its
  // page), an action on it, an edit of one field (which opens a conversation).
  myCourses: callbackRoute('mycourses', { page: int(999) }),
  myCourse: callbackRoute('mycourse', { id: productIdField, page: int(999) }),
  myCourseAct: callbackRoute(
    'mcact',
    { action: oneOf('off', 'on', 'del', 'delok', 'share', 'edit'), id: productIdField, page: int(999) },
    'messages',
  ),
  myCourseEdit: callbackRoute(
    'mcedit',
    { field: oneOf('title', 'description', 'category', 'price', 'stars', 'cover', 'file'), id: productIdField },
    'messages',
  ),
};

const budgets = new Map(Object.values(cb).map((route) => [`${CALLBACK_VERSION}:${route.tag}`, route.budget]));

/** The budget a press counts against; stale or unknown data is browsing (it only gets a polite answer). */
export const budgetOf = (data: string | undefined): ButtonBudget =>
  budgets.get(/^\d+:[a-z]+/.exec(data ?? '')?.[0] ?? '') ?? 'browse';

export type CallbackKind = 'current' | 'stale' | 'unknown';

/** How to answer data no handler took: an older deploy's button (`stale`), ours, or junk. */
export function classifyCallbackData(data: string): CallbackKind {
  const match = /^(\d+):[a-z]+(?::|$)/.exec(data);
  if (!match) return 'unknown';
  return Number(match[1]) === CALLBACK_VERSION ? 'current' : 'stale';
}
