import { Composer } from 'grammy';
import type { BotContext } from '../context.ts';
import { cb } from '../keyboards/callback-data.ts';
import { mainMenuKeyboard } from '../keyboards/menu.ts';
import { onCallback } from '../middleware/on-callback.ts';
import { escapeHtml, show } from '../reply.ts';
import { showList, showProduct } from './catalog.ts';

export async function showMenu(ctx: BotContext): Promise<void> {
  const name = escapeHtml(ctx.from?.first_name ?? '');
  await show(ctx, ctx.t('menu-text', { name }), mainMenuKeyboard(ctx));
}

/**
 * /start and its deep links (t.me/<bot>?start=<payload>): `p_<productId>` opens a product
 * card, `s_<sellerId>` a seller's shop; anything else, or nothing, the main menu.
 */
export const startFeature = new Composer<BotContext>();

startFeature.command('start', async (ctx) => {
  const payload = ctx.match.trim();
  const product = /^p_([A-Za-z0-9-]{1,40})$/.exec(payload);
  if (product) return showProduct(ctx, product[1]!.toUpperCase());
  const seller = /^s_(\d{1,9})$/.exec(payload);
  if (seller) return showList(ctx, { scope: { kind: 'seller', id: Number(seller[1]) }, sort: 'top', page: 0 });
  await showMenu(ctx);
});
startFeature.command('menu', (ctx) => showMenu(ctx));
startFeature.use(onCallback(cb.menu, (ctx) => showMenu(ctx)));
