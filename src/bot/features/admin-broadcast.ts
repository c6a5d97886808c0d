import { Composer, InlineKeyboard } from 'grammy';
import type { BroadcastAudience } from '../../modules/admin/broadcast.ts';
import type { BotContext } from '../context.ts';
import { cb } from '../keyboards/callback-data.ts';
import { descriptionOf } from '../reply.ts';
import { actorOf, captionCommand, runAdmin } from './admin.ts';

/**
 * Broadcast: `/broadcast <text>` (or a photo with that caption) makes a draft and shows it as
 * the recipients will see it; the audience buttons (everyone, buyers, sellers, one language)
 * show the count; "Send to N" starts it (the queue sends, at most 25/s) and that message then
 * shows the progress, with Cancel, and the final report.
 */
export const adminBroadcastFeature = new Composer<BotContext>();

const AUDIENCES = ['all', 'buyers', 'sellers', 'en', 'fr'] as const;
type AudienceCode = (typeof AUDIENCES)[number];
const toAudience = (code: AudienceCode): BroadcastAudience =>
  code === 'en' || code === 'fr' ? { kind: 'language', language: code } : { kind: code };
const codeOf = (audience: BroadcastAudience): AudienceCode =>
  audience.kind === 'language' ? audience.language : audience.kind;

function controls(ctx: BotContext, id: number, count: number) {
  const keyboard = new InlineKeyboard();
  for (const code of AUDIENCES)
    keyboard.text(ctx.t(`admin-audience-${code}`), cb.admin.pack({ verb: 'bcaud', arg: `${id}-${code}` }));
  return keyboard
    .row()
    .text(ctx.t('button-admin-broadcast-send', { count }), cb.admin.pack({ verb: 'bcgo', arg: String(id) }))
    .text(ctx.t('button-admin-broadcast-cancel'), cb.admin.pack({ verb: 'bcstop', arg: String(id) }));
}

const controlText = (ctx: BotContext, id: number, audience: BroadcastAudience, count: number) =>
  ctx.t('admin-broadcast-audience', { id, audience: ctx.t(`admin-audience-${codeOf(audience)}`), count });

/** Drafts a broadcast of `text` (and `photo`), shows the preview and the audience controls. */
const compose = (ctx: BotContext, text: string, photo: string | null) =>
  runAdmin(ctx, async () => {
    if (!text) return ctx.t('admin-broadcast-usage');
    const draft = ctx.services.admin.broadcasts.draft(actorOf(ctx), { text, photo });
    // The preview is the message itself: Telegram checks its HTML here, before anyone gets it.
    try {
      if (photo) await ctx.replyWithPhoto(photo, { caption: text });
      else await ctx.reply(text);
    } catch (error) {
      return ctx.t('admin-broadcast-preview-failed', { message: descriptionOf(error) });
    }
    const count = ctx.services.admin.broadcasts.recipientsOf(draft.audience);
    await ctx.reply(controlText(ctx, draft.id, draft.audience, count), {
      reply_markup: controls(ctx, draft.id, count),
    });
    return '';
  });

adminBroadcastFeature.command('broadcast', (ctx) =>
  compose(ctx, typeof ctx.match === 'string' ? ctx.match.trim() : '', null),
);

// A photo captioned `/broadcast <text>`: Telegram marks the command in caption_entities, which
// grammY's command() does not read (the gate in features/admin.ts checks captions too).
adminBroadcastFeature.on('message:photo', (ctx, next) => {
  const text = captionCommand(ctx.message.caption, 'broadcast');
  if (text === undefined) return next();
  return compose(ctx, text, ctx.message.photo.at(-1)!.file_id);
});

adminBroadcastFeature.callbackQuery(cb.admin.pattern, async (ctx, next) => {
  const values = cb.admin.unpack(ctx.callbackQuery.data);
  if (!values || !['bcaud', 'bcgo', 'bcstop'].includes(values.verb) || !values.arg) return next();
  const [rawId = '', code] = values.arg.split('-');
  const id = Number(rawId);
  if (!Number.isInteger(id)) return next();
  const broadcasts = ctx.services.admin.broadcasts;
  await runAdmin(ctx, async () => {
    if (values.verb === 'bcaud' && (AUDIENCES as readonly string[]).includes(code ?? '')) {
      const { broadcast, count } = broadcasts.setAudience(id, toAudience(code as AudienceCode));
      await ctx
        .editMessageText(controlText(ctx, id, broadcast.audience, count), { reply_markup: controls(ctx, id, count) })
        .catch(() => undefined);
      return '';
    }
    if (values.verb === 'bcgo') {
      const message = ctx.callbackQuery.message!;
      const started = broadcasts.start(actorOf(ctx), id, { chatId: message.chat.id, messageId: message.message_id });
      const cancel = new InlineKeyboard().text(
        ctx.t('button-admin-broadcast-cancel'),
        cb.admin.pack({ verb: 'bcstop', arg: String(id) }),
      );
      await ctx.editMessageText(
        ctx.t('admin-broadcast-progress', { id, done: 0, total: started.total, sent: 0, blocked: 0, failed: 0 }),
        { reply_markup: cancel },
      );
      return '';
    }
    const row = broadcasts.get(id);
    if (row.status === 'draft') {
      broadcasts.cancel(actorOf(ctx), id);
      await ctx.editMessageReplyMarkup().catch(() => undefined);
      return ctx.t('admin-broadcast-report', {
        id,
        state: ctx.t('admin-broadcast-state-cancelled'),
        sent: 0,
        blocked: 0,
        failed: 0,
        left: 0,
        total: 0,
      });
    }
    // Sending: the job sees it before its next message and writes the final report here.
    broadcasts.cancel(actorOf(ctx), id);
    return '';
  });
});
