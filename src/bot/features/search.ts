import { Composer } from 'grammy';
import { PRODUCT_ID_PATTERN } from '../../lib/ids.ts';
import type { BotContext } from '../context.ts';
import { cb } from '../keyboards/callback-data.ts';
import { backToMenuKeyboard } from '../keyboards/menu.ts';
import { onCallback } from '../middleware/on-callback.ts';
import { show } from '../reply.ts';
import { showList, showProduct } from './catalog.ts';

/** Longer texts are not searches (a pasted document, a flood): the user is asked for a few words. */
export const MAX_SEARCH_LENGTH = 100;

async function search(ctx: BotContext, text: string): Promise<void> {
  const query = text.trim().replace(/\s+/g, ' ');
  if (query === '') return show(ctx, ctx.t('search-prompt'), backToMenuKeyboard(ctx));
  if (query.length > MAX_SEARCH_LENGTH) {
    await ctx.reply(ctx.t('search-too-long', { max: MAX_SEARCH_LENGTH }));
    return;
  }
  if (PRODUCT_ID_PATTERN.test(query.toUpperCase())) return showProduct(ctx, query.toUpperCase());
  ctx.session.search = query;
  await showList(ctx, { scope: { kind: 'search' }, sort: 'rel', page: 0 });
}

/**
 * Search: `/search words`, or any plain text in a private chat (installed after the features
 * that wait for a typed answer, so it only gets the text nobody else wanted).
 */
export const searchFeature = new Composer<BotContext>();

searchFeature.command('search', (ctx) => search(ctx, ctx.match));
searchFeature.use(onCallback(cb.search, (ctx) => show(ctx, ctx.t('search-prompt'), backToMenuKeyboard(ctx))));
searchFeature
  .chatType('private')
  .on('message:text')
  .drop(
    (ctx) => ctx.message.text.startsWith('/'),
    (ctx) => search(ctx, ctx.message.text),
  );
