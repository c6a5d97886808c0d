import { Composer } from 'grammy';
import type { BotContext } from '../context.ts';
import { escapeHtml } from '../reply.ts';
import { actorOf, commandArgs, runAdmin } from './admin.ts';

/**
 * The operator's moderation commands: take a course down / restore it, suspend / restore a
 * seller, ban / unban a user. The rules (reason required, catalog cache, telling the person)
 * are the admin module's.
 */
export const adminModerationFeature = new Composer<BotContext>();

const idNumber = (text: string) => (/^\d{1,12}$/.test(text) ? Number(text) : undefined);

adminModerationFeature.command('takedown', (ctx) =>
  runAdmin(ctx, async () => {
    const [id, reason] = commandArgs(ctx);
    if (!id) return ctx.t('admin-usage', { usage: '/takedown COURSE-ID reason' });
    const row = await ctx.services.admin.moderation.takeDown(actorOf(ctx), id, reason);
    return ctx.t('admin-take-down-done', { title: escapeHtml(row.title) });
  }),
);

adminModerationFeature.command('restore', (ctx) =>
  runAdmin(ctx, async () => {
    const [id] = commandArgs(ctx);
    if (!id) return ctx.t('admin-usage', { usage: '/restore COURSE-ID' });
    const row = await ctx.services.admin.moderation.restore(actorOf(ctx), id);
    return ctx.t('admin-restore-done', { title: escapeHtml(row.title) });
  }),
);

for (const [command, suspended] of [
  ['suspend', true],
  ['unsuspend', false],
] as const) {
  adminModerationFeature.command(command, (ctx) =>
    runAdmin(ctx, async () => {
      const [raw, reason] = commandArgs(ctx);
      const seller = idNumber(raw);
      if (seller === undefined)
        return ctx.t('admin-usage', { usage: `/${command} SELLER-ID${suspended ? ' reason' : ''}` });
      const { courses } = await ctx.services.admin.moderation.suspendSeller(actorOf(ctx), seller, suspended, reason);
      return ctx.t(suspended ? 'admin-suspend-done' : 'admin-unsuspend-done', { seller, courses });
    }),
  );
}

for (const [command, banned] of [
  ['ban', true],
  ['unban', false],
] as const) {
  adminModerationFeature.command(command, (ctx) =>
    runAdmin(ctx, async () => {
      const [raw, reason] = commandArgs(ctx);
      const user = idNumber(raw);
      if (user === undefined) return ctx.t('admin-usage', { usage: `/${command} USER-ID${banned ? ' reason' : ''}` });
      await ctx.services.admin.moderation.ban(actorOf(ctx), user, banned, reason);
      return ctx.t(banned ? 'admin-ban-done' : 'admin-unban-done', { user });
    }),
  );
}
