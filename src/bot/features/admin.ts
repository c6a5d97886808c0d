import { Composer, InlineKeyboard } from 'grammy';
import { AppError } from '../../lib/errors.ts';
import type { BotContext } from '../context.ts';
import { cb } from '../keyboards/callback-data.ts';
import { escapeHtml, shorten, show } from '../reply.ts';

/** Every command of the operator's area: refused (politely, logged, audited) to anyone else. */
export const ADMIN_COMMANDS = [
  'admin',
  'paid',
  'rejectpayout',
  'broadcast',
  'reply',
  'refund',
  'takedown',
  'restore',
  'suspend',
  'unsuspend',
  'ban',
  'unban',
  // Orders
  'order',
  'orders',
  'refusepartial',
  'payoutscsv',
] as const;
const AUDIT_SHOWN = 15;

/**
 * The gate of the operator's area, before any of its handlers: `/admin`, the admin commands and
 * every `adm` button are checked against ADMIN_USER_ID on each update (a button left in the chat
 * of a removed admin does nothing). Others get a polite refusal; the module logs and audits it.
 */
export const adminGate = new Composer<BotContext>();
adminGate.command([...ADMIN_COMMANDS], async (ctx, next) => {
  if (ctx.services.admin.allows(ctx.from!.id, `/${ctx.message!.text!.split(/[\s@]/)[0]!.slice(1)}`)) return next();
  await ctx.reply(ctx.t('admin-refused'));
});
adminGate.callbackQuery(cb.admin.pattern, async (ctx, next) => {
  if (ctx.services.admin.allows(ctx.from.id, `button ${ctx.callbackQuery.data}`)) return next();
  await ctx.answerCallbackQuery({ text: ctx.t('admin-refused'), show_alert: true });
});

/**
 * The text after `/<command>` at the start of a media caption, or undefined: Telegram marks a
 * caption's command in caption_entities, which grammY's command() does not read.
 */
export function captionCommand(caption: string | undefined, command?: string): string | undefined {
  const match = /^\/([a-z]+)(?:@\w+)?(?:\s+([\s\S]*))?$/i.exec(caption ?? '');
  if (!match || (command !== undefined && match[1]!.toLowerCase() !== command)) return undefined;
  return (match[2] ?? '').trim();
}

adminGate.on('message:caption', async (ctx, next) => {
  const name = /^\/([a-z]+)/i.exec(ctx.message.caption)?.[1]?.toLowerCase() ?? '';
  if (!(ADMIN_COMMANDS as readonly string[]).includes(name) || ctx.services.admin.allows(ctx.from.id, `/${name}`))
    return next();
  await ctx.reply(ctx.t('admin-refused'));
});

/** The actor written in the audit trail for an action taken in the bot. */
export const actorOf = (ctx: BotContext) => `tg:${ctx.from!.id}`;

/** A service refusal (not found, conflict, validation) told to the operator in a line. */
export async function runAdmin(ctx: BotContext, action: () => Promise<string>): Promise<void> {
  try {
    const text = await action();
    if (text) await ctx.reply(text);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const detail = Array.isArray(error.details)
      ? (error.details as { message?: string }[]).map((d) => d.message).join('; ')
      : '';
    await ctx.reply(ctx.t('admin-error', { message: escapeHtml([error.message, detail].filter(Boolean).join(': ')) }));
  }
}

/** `/cmd a b c...` -> ['a', 'b c...'] (the id, then the free text). */
export const commandArgs = (ctx: BotContext): [string, string] => {
  const text = typeof ctx.match === 'string' ? ctx.match.trim() : '';
  const [first = '', ...rest] = text.split(/\s+/);
  return [first, rest.join(' ')];
};

const menuKeyboard = (ctx: BotContext) =>
  new InlineKeyboard()
    .text(ctx.t('button-admin-stats'), cb.admin.pack({ verb: 'stats', arg: 'today' }))
    .text(ctx.t('button-admin-tickets'), cb.admin.pack({ verb: 'tickets', arg: undefined }))
    .row()
    .text(ctx.t('button-admin-payouts'), cb.admin.pack({ verb: 'payouts', arg: undefined }))
    .text(ctx.t('button-admin-audit'), cb.admin.pack({ verb: 'audit', arg: undefined }))
    .row()
    .text(ctx.t('button-admin-orders'), cb.admin.pack({ verb: 'orders', arg: undefined }))
    .text(ctx.t('button-admin-jobs'), cb.admin.pack({ verb: 'jobs', arg: undefined }));

export const adminFeature = new Composer<BotContext>();

const menuText = (ctx: BotContext) => `${ctx.t('admin-menu')}\n${ctx.t('admin-menu-ops')}`;

adminFeature.command('admin', (ctx) => show(ctx, menuText(ctx), menuKeyboard(ctx)));

adminFeature.callbackQuery(cb.admin.pattern, async (ctx, next) => {
  const values = cb.admin.unpack(ctx.callbackQuery.data);
  if (!values) return next();
  if (values.verb === 'menu') return show(ctx, menuText(ctx), menuKeyboard(ctx));
  if (values.verb === 'audit') {
    const entries = ctx.services.admin.audit.list({ limit: AUDIT_SHOWN });
    const lines = entries.map(
      (e) =>
        `${e.created_at.slice(0, 16).replace('T', ' ')} · <b>${escapeHtml(e.action)}</b> ${escapeHtml(e.target ?? '')} · ${escapeHtml(e.actor)}${e.reason ? ` — <i>${escapeHtml(shorten(e.reason, 60))}</i>` : ''}`,
    );
    const back = new InlineKeyboard().text(ctx.t('button-admin-menu'), cb.admin.pack({ verb: 'menu', arg: undefined }));
    return show(
      ctx,
      [ctx.t('admin-audit-title'), lines.length ? lines.join('\n') : ctx.t('admin-audit-empty')].join('\n\n'),
      back,
    );
  }
  return next();
});
