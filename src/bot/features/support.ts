import { Composer } from 'grammy';
import { AppError } from '../../lib/errors.ts';
import { TICKET_MESSAGE_MAX, TICKET_MESSAGE_MIN, type TicketView } from '../../modules/support/model.ts';
import type { BotContext } from '../context.ts';
import { cb } from '../keyboards/callback-data.ts';
import { onCallback } from '../keyboards/on-callback.ts';
import { cancelTicketKeyboard, supportKeyboard } from '../keyboards/support.ts';
import { isNonTextInput } from '../middleware/awaiting.ts';
import { escapeHtml, shorten, show } from '../reply.ts';

/** Tickets listed on the support screen, newest first. */
const TICKETS_SHOWN = 8;
const SNIPPET_MAX = 80;
const REPLY_MAX = 300;

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

/** "New ticket": the next text of the chat becomes the ticket's message. */
async function askMessage(ctx: BotContext): Promise<void> {
  ctx.session.awaiting = { kind: 'support-message' };
  await show(ctx, ctx.t('support-ask'), cancelTicketKeyboard(ctx));
}

/**
 * Opens the ticket. A message too short or too long keeps the wait so the buyer can try again;
 * too many open tickets ends it. Both are the service's rules, told politely.
 */
async function openTicket(ctx: BotContext, text: string): Promise<void> {
  let ticket: TicketView;
  try {
    ticket = ctx.services.support.openTicket(ctx.user.id, text);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    if (error.code === 'validation_failed') {
      const key = text.trim().length < TICKET_MESSAGE_MIN ? 'support-too-short' : 'support-too-long';
      ctx.session.awaiting = { kind: 'support-message' };
      await ctx.reply(ctx.t(key, { max: TICKET_MESSAGE_MAX }), { reply_markup: cancelTicketKeyboard(ctx) });
      return;
    }
    if (error.code !== 'conflict') throw error;
    delete ctx.session.awaiting;
    const limit = (error.details as { limit?: number } | null)?.limit ?? 0;
    return showSupport(ctx, ctx.t('support-too-many', { count: limit }));
  }
  delete ctx.session.awaiting;
  await showSupport(ctx, ctx.t('support-opened', { id: ticket.id }));
}

/**
 * /support: open a ticket by typing a message (or `/support <message>` at once), see one's
 * tickets and their state. Installed before search: while a message is awaited, the chat's
 * plain text is that message.
 */
export const supportFeature = new Composer<BotContext>();

supportFeature.command('support', (ctx) => (ctx.match.trim() ? openTicket(ctx, ctx.match) : showSupport(ctx)));
supportFeature.use(onCallback(cb.support, (ctx) => showSupport(ctx)));
supportFeature.use(onCallback(cb.ticketNew, askMessage));
supportFeature.use(
  onCallback(cb.ticketCancel, async (ctx) => {
    await ctx.answerCallbackQuery({ text: ctx.t('support-cancelled') });
    await showSupport(ctx);
  }),
);

const awaitingMessage = supportFeature
  .chatType('private')
  .filter((ctx) => ctx.session.awaiting?.kind === 'support-message');
awaitingMessage
  .on('message:text')
  .drop((ctx) => ctx.message.text.startsWith('/'), (ctx) => openTicket(ctx, ctx.message.text));
// A sticker, a photo...: the message must be text; payments and service messages are not for us.
awaitingMessage.on('message').drop(
  (ctx) => !isNonTextInput(ctx.message),
  (ctx) => ctx.reply(ctx.t('support-text-only'), { reply_markup: cancelTicketKeyboard(ctx) }),
);
