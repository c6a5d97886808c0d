import { Composer } from 'grammy';
import type { BotContext } from '../context.ts';
import { escapeHtml } from '../reply.ts';

/**
 * /email: a buyer's address for e-mail copies (the receipt of each purchase with its download
 * link, the answers to their support tickets). `/email you@example.com` sets it, `/email off`
 * removes it, `/email` alone says which one is kept. Without SMTP the shop sends no e-mail: it says so.
 */
export function emailFeature({ enabled }: { enabled: boolean }) {
  const feature = new Composer<BotContext>();
  feature.command('email', async (ctx) => {
    if (!enabled) return ctx.reply(ctx.t('email-disabled'));
    const typed = ctx.match.trim();
    const { users } = ctx.services;
    if (typed === '') {
      const current = ctx.user.email;
      return ctx.reply(current ? ctx.t('email-current', { email: escapeHtml(current) }) : ctx.t('email-none'), {
        parse_mode: 'HTML',
      });
    }
    if (['off', 'none', 'non', 'aucun', 'aucune'].includes(typed.toLowerCase())) {
      users.clearEmail(ctx.user.id);
      return ctx.reply(ctx.t('email-removed'));
    }
    const email = users.setEmail(ctx.user.id, typed);
    if (!email) return ctx.reply(ctx.t('email-invalid'));
    return ctx.reply(ctx.t('email-saved', { email: escapeHtml(email) }), { parse_mode: 'HTML' });
  });
  return feature;
}
