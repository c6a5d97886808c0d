import type { ProductView } from '../modules/catalog/model.ts';
import type { BotContext } from './context.ts';
import { formatMoney, numberFormat } from '../lib/number-format.ts';
import { escapeHtml, shorten } from './reply.ts';

const intlLocale = (language: string) => (language === 'fr' ? 'fr-FR' : 'en-US');

/** Display only: cents -> "$49.00" / "49,00 $US". Amounts are never computed from this. */
export function formatPrice(cents: number, currency: string, language: string): string {
  return formatMoney(intlLocale(language), cents, currency);
}

const decimal = (value: number, language: string) =>
  numberFormat(intlLocale(language), { maximumFractionDigits: 1 }).format(value);

export function formatSize(ctx: BotContext, bytes: number): string {
  const language = ctx.user.language;
  if (bytes < 1024) return ctx.t('size-bytes', { size: bytes });
  if (bytes < 1024 ** 2) return ctx.t('size-kb', { size: decimal(bytes / 1024, language) });
  if (bytes < 1024 ** 3) return ctx.t('size-mb', { size: decimal(bytes / 1024 ** 2, language) });
  return ctx.t('size-gb', { size: decimal(bytes / 1024 ** 3, language) });
}

const FILE_KINDS: Record<string, string> = {
  'application/pdf': 'PDF',
  'application/epub+zip': 'EPUB',
  'application/zip': 'ZIP',
  'application/x-zip-compressed': 'ZIP',
  'video/mp4': 'MP4',
  'audio/mpeg': 'MP3',
};

/** "PDF", "MP4", else the file's extension, else the MIME subtype. */
export function fileKind(file: NonNullable<ProductView['file']>): string {
  const known = FILE_KINDS[file.type];
  if (known) return known;
  const extension = /\.([A-Za-z0-9]{1,8})$/.exec(file.name)?.[1];
  return (extension ?? file.type.split('/').pop() ?? file.type).toUpperCase();
}

/** Telegram allows 4096 characters; the description is the only part that can be long. */
const DESCRIPTION_MAX = 2500;
const TITLE_MAX = 200;

/** `descriptionMax`: shorter under a cover photo, whose caption holds 1,024 characters. */
export function productCard(ctx: BotContext, product: ProductView, descriptionMax = DESCRIPTION_MAX): string {
  const language = ctx.user.language;
  const rating =
    product.rating.count === 0
      ? ctx.t('product-no-rating')
      : ctx.t('product-rating', { average: decimal(product.rating.average, language), count: product.rating.count });
  const file = product.file
    ? `${fileKind(product.file)} · ${formatSize(ctx, product.file.size_bytes)}`
    : ctx.t('product-no-file');
  return ctx.t('product-card', {
    title: escapeHtml(shorten(product.title, TITLE_MAX)),
    description: escapeHtml(shorten(product.description, descriptionMax)),
    // Both prices a buyer can pay: the card has a button for each.
    price: `${formatPrice(product.price_cents, product.currency, language)} · ${ctx.t('price-in-stars', {
      stars: numberFormat(intlLocale(language)).format(ctx.services.stars.priceOf(product)),
    })}`,
    seller: escapeHtml(product.seller.display_name),
    rating,
    file,
    sales: product.sales_count,
    id: product.id,
  });
}

/** One line of a list button: "Title · $49.00", within Telegram's comfortable button width. */
export function productButton(ctx: BotContext, product: ProductView): string {
  return `${shorten(product.title, 48)} · ${formatPrice(product.price_cents, product.currency, ctx.user.language)}`;
}
