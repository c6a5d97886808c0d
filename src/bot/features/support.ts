import { Composer, type Context } from 'grammy';
import type { Clock } from '../../lib/clock.ts';
import { AppError } from '../../lib/errors.ts';
import { TICKET_MESSAGE_MAX, TICKET_MESSAGE_MIN, type TicketView } from '../../modules/support/model.ts';
import type { BotContext } from '../context.ts';
import { cb } from '../keyboards/callback-data.ts';
import { cancelTicketKeyboard, supportKeyboard } from '../keyboards/support.ts';
import { nextMessage, type BotConversation } from '../middleware/conversations.ts';
import { onCallback } from '../middleware/on-callback.ts';
import { escapeHtml, shorten, show } from '../reply.ts';

/** Tickets listed on the support screen, newest first. */
const TICKETS_SHOWN = 8;
const SNIPPET_MAX = 80;
const REPLY_MAX = 300;
export const SUPPORT_TICKET = 'support-ticket';

function ticketLine(ctx: BotContext, ticket: TicketView): string {
  const statuses = {
    open: ctx.t('ticket-status-open'),
    answered: ctx.t('ticket-status-answered'),
    closed: ctx.t('ticket-status-closed'),
  };
  const status = statuses[ticket.status];
  const line = `<b>#${ticket.id}</b> · ${status}\n<i>${escapeHtml(shorten(ticket.message, SNIPPET_MAX))}</i>`;
  if (!ticket.admin_reply) return line;
  return `${line}\n${ctx.t('ticket-reply', { description: escapeHtml(shorten(ticket.admin_reply, REPLY_MAX)) })}`;
}

/** The support screen: what support is for, then the buyer's tickets and their state. */
export async function showSupport(ctx: BotContext, notice?: string): Promise<void> {
  const tickets = ctx.services.support.listTickets(ctx.user.id, TICKETS_SHOWN);
  const lines = notice ? [notice] : [];
  lines.push(ctx.t('support-title'));
  if (tickets.length === 0) lines.push(ctx.t('support-no-tickets'));
  else lines.push([ctx.t('support-tickets'), ...tickets.map((ticket) => ticketLine(ctx, ticket))].join('\n\n'));
  await show(ctx, lines.join('\n\n'), supportKeyboard(ctx));
}

/**
 * Opens the ticket; true once the conversation is over. A message too short or too long (or
 * not text) is asked again; too many open tickets ends it. The limits are the service's rules.
 */
async function openTicket(ctx: BotContext, text: string | undefined): Promise<boolean> {
  if (text === undefined) {
    // A sticker, a photo...: the message must be text.
    await ctx.reply(ctx.t('support-text-only'), { reply_markup: cancelTicketKeyboard(ctx) });
    return false;
  }
  let ticket: TicketView;
  try {
    ticket = ctx.services.support.openTicket(ctx.user.id, text);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    if (error.code === 'validation_failed') {
      const key = text.trim().length < TICKET_MESSAGE_MIN ? 'support-too-short' : 'support-too-long';
      await ctx.reply(ctx.t(key, { max: TICKET_MESSAGE_MAX }), { reply_markup: cancelTicketKeyboard(ctx) });
      return false;
    }
    if (error.code !== 'conflict') throw error;
    const limit = (error.details as { limit?: number } | null)?.limit ?? 0;
    await showSupport(ctx, ctx.t('support-too-many', { count: limit }));
    return true;
  }
  await showSupport(ctx, ctx.t('support-opened', { id: ticket.id }));
  return true;
}

/** Waits for the ticket's message until it is opened, the buyer does something else, or the wait times out. */
export function supportTicketConversation(clock: Clock) {
  return async (conversation: BotConversation, _ctx: Context) => {
    for (;;) {
      const { text } = await nextMessage(conversation, clock);
      if (await conversation.external((ctx) => openTicket(ctx, text))) return;
    }
  };
}

/**
 * /support: open a ticket by typing a message (or `/support <message>` at once), see one's
 * tickets and their state.
 */
export const supportFeature = new Composer<BotContext>();

supportFeature.command('support', async (ctx) => {
  if (!ctx.match.trim()) return showSupport(ctx);
  // A message the service refuses is asked again, as after "New ticket".
  if (!(await openTicket(ctx, ctx.match))) await ctx.conversation.enter(SUPPORT_TICKET);
});
supportFeature.use(onCallback(cb.support, (ctx) => showSupport(ctx)));
supportFeature.use(
  onCallback(cb.ticketNew, async (ctx) => {
    await show(ctx, ctx.t('support-ask'), cancelTicketKeyboard(ctx));
    await ctx.conversation.enter(SUPPORT_TICKET);
  }),
);
supportFeature.use(
  onCallback(cb.ticketCancel, async (ctx) => {
    await ctx.answerCallbackQuery({ text: ctx.t('support-cancelled') });
    await showSupport(ctx);
  }),
);
