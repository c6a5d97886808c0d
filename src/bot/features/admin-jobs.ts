import { Composer, InlineKeyboard } from 'grammy';
import type { BotContext } from '../context.ts';
import { cb } from '../keyboards/callback-data.ts';
import { escapeHtml, shorten } from '../reply.ts';
import { actorOf, runAdmin } from './admin.ts';

/** Dead jobs for the operator: newest first, each with Retry and Discard buttons. */
export const adminJobsFeature = new Composer<BotContext>();

const SHOWN = 5;

async function showDead(ctx: BotContext) {
  const { jobs } = ctx.services.admin;
  const dead = jobs.list({ status: 'dead', limit: SHOWN });
  if (dead.length === 0) return ctx.reply(ctx.t('admin-jobs-empty'));
  await ctx.reply(ctx.t('admin-jobs-title', { count: jobs.deadCount(), shown: dead.length }));
  for (const job of dead) {
    const text = ctx.t('admin-job', {
      id: job.id,
      kind: escapeHtml(job.kind),
      for: escapeHtml(shorten(job.for, 80)),
      attempts: job.attempts,
      date: (job.finished_at ?? job.run_at).slice(0, 16).replace('T', ' '),
      error: escapeHtml(shorten(job.last_error ?? '—', 300)),
    });
    const arg = String(job.id);
    const buttons = new InlineKeyboard()
      .text(ctx.t('button-admin-job-retry', { id: job.id }), cb.admin.pack({ verb: 'jretry', arg }))
      .text(ctx.t('button-admin-job-discard', { id: job.id }), cb.admin.pack({ verb: 'jdrop', arg }));
    await ctx.reply(text, { reply_markup: buttons });
  }
}

adminJobsFeature.callbackQuery(cb.admin.pattern, async (ctx, next) => {
  const values = cb.admin.unpack(ctx.callbackQuery.data);
  if (values?.verb === 'jobs') return showDead(ctx);
  if ((values?.verb !== 'jretry' && values?.verb !== 'jdrop') || !/^\d+$/.test(values.arg ?? '')) return next();
  const id = Number(values.arg);
  await ctx.editMessageReplyMarkup().catch(() => undefined);
  return runAdmin(ctx, async () => {
    if (values.verb === 'jretry') {
      ctx.services.admin.jobs.retry(actorOf(ctx), id);
      return ctx.t('admin-job-retried', { id });
    }
    ctx.services.admin.jobs.discard(actorOf(ctx), id);
    return ctx.t('admin-job-discarded', { id });
  });
});
