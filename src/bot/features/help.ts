import { Composer } from 'grammy';
import type { BotContext } from '../context.ts';
import { cb } from '../keyboards/callback-data.ts';
import { backToMenuKeyboard } from '../keyboards/menu.ts';
import { onCallback } from '../middleware/on-callback.ts';
import { show } from '../reply.ts';

export const helpFeature = new Composer<BotContext>();

const help = (ctx: BotContext) => show(ctx, ctx.t('help-text'), backToMenuKeyboard(ctx));

helpFeature.command('help', help);
helpFeature.use(onCallback(cb.help, help));
