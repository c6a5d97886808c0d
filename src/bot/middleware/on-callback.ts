import { Composer } from 'grammy';
import type { BotContext } from '../context.ts';
import type { CallbackRoute, Fields, Values } from '../keyboards/callback-data.ts';

/**
 * A handler for one callback route, with its fields decoded and typed. Data whose fields do
 * not decode (a stale layout, a forged press) falls through to the fallback feature.
 */
export function onCallback<F extends Fields>(
  route: CallbackRoute<F>,
  handler: (ctx: BotContext, values: Values<F>) => Promise<unknown> | unknown,
): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.callbackQuery(route.pattern, async (ctx, next) => {
    const values = route.unpack(ctx.callbackQuery.data);
    if (values === undefined) return next();
    await handler(ctx, values);
  });
  return composer;
}
