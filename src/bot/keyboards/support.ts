import { InlineKeyboard } from 'grammy';
import type { BotContext } from '../context.ts';
import { cb } from './callback-data.ts';

/** The support screen: write a new ticket, or go back to the menu. */
export const supportKeyboard = (ctx: BotContext) =>
  new InlineKeyboard()
    .text(ctx.t('button-ticket-new'), cb.ticketNew.pack({}))
    .row()
    .text(ctx.t('button-menu'), cb.menu.pack({}));

/** While the bot waits for the ticket's message. */
export const cancelTicketKeyboard = (ctx: BotContext) =>
  new InlineKeyboard().text(ctx.t('button-cancel'), cb.ticketCancel.pack({}));
