import { InlineKeyboard } from 'grammy';
import type { ProductPageView, ProductView } from '../../modules/catalog/model.ts';
import type { BotContext } from '../context.ts';
import { productButton } from '../format.ts';
import { cb, type ListRef, type ListSort } from './callback-data.ts';

export interface CategoryButton {
  id: number;
  emoji: string;
  name: string;
  product_count: number;
}

export function categoriesKeyboard(ctx: BotContext, categories: CategoryButton[]): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  categories.forEach((category, index) => {
    const label = `${category.emoji} ${category.name} (${category.product_count})`;
    keyboard.text(label, cb.list.pack({ scope: { kind: 'category', id: category.id }, sort: 'top', page: 0 }));
    if (index % 2 === 1) keyboard.row();
  });
  return keyboard.row().text(ctx.t('button-menu'), cb.menu.pack({}));
}

const sortLabels = (ctx: BotContext): Record<ListSort, string> => ({
  top: ctx.t('sort-top'),
  new: ctx.t('sort-new'),
  rel: ctx.t('sort-rel'),
});

/** Products one per row, then paging, then the order toggle (when there is something to sort), then the way back. */
export function productListKeyboard(ctx: BotContext, ref: ListRef, page: ProductPageView): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  for (const product of page.items) {
    keyboard.text(productButton(ctx, product), cb.product.pack({ id: product.id, back: ref })).row();
  }
  const at = (pageIndex: number) => cb.list.pack({ ...ref, page: pageIndex });
  if (ref.page > 0) keyboard.text(ctx.t('button-previous'), at(ref.page - 1));
  if (page.next_cursor) keyboard.text(ctx.t('button-next'), at(ref.page + 1));
  keyboard.row();
  const labels = sortLabels(ctx);
  // Nothing to put in order: an empty list offers no sort buttons.
  const toggles: ListSort[] =
    page.items.length === 0 ? [] : ref.scope.kind === 'search' ? ['rel', 'top', 'new'] : ['top', 'new'];
  for (const sort of toggles) {
    const label = sort === ref.sort ? `✓ ${labels[sort]}` : labels[sort];
    keyboard.text(label, cb.list.pack({ scope: ref.scope, sort, page: 0 }));
  }
  keyboard.row();
  if (ref.scope.kind === 'category') keyboard.text(ctx.t('button-back'), cb.categories.pack({}));
  return keyboard.text(ctx.t('button-menu'), cb.menu.pack({}));
}

/** Buy with crypto or Stars (features/buy.ts answers them), the seller's shop, and back. */
export function productCardKeyboard(ctx: BotContext, product: ProductView, back: ListRef | undefined): InlineKeyboard {
  const keyboard = new InlineKeyboard()
    .text(ctx.t('button-buy-crypto'), cb.buy.pack({ method: 'crypto', id: product.id }))
    .text(ctx.t('button-buy-stars'), cb.buy.pack({ method: 'stars', id: product.id }))
    .row();
  if (back?.scope.kind !== 'seller') {
    keyboard
      .text(
        ctx.t('button-seller-shop'),
        cb.list.pack({ scope: { kind: 'seller', id: product.seller.id }, sort: 'top', page: 0 }),
      )
      .row();
  }
  keyboard.text(ctx.t('button-back'), back ? cb.list.pack(back) : cb.categories.pack({}));
  return keyboard.text(ctx.t('button-menu'), cb.menu.pack({}));
}
