/**
 * Per-chat message store and the text-message methods: sendMessage, editMessageText,
 * editMessageCaption, editMessageReplyMarkup, deleteMessage. Every message the bot sends is kept
 * (with its text / caption / media / inline keyboard) so edits can be checked against it and
 * simulated users can read and press what is on their screen.
 */
import type { MethodCall, MethodHandler } from './methods.ts';
import { ApiError, TelegramErrors } from './protocol.ts';
import {
  bad,
  botUser,
  copy,
  intOf,
  nowSeconds,
  targetChat,
  textOf,
  type ChatMessage,
  type ChatStore,
  type FakeState,
  type InlineMarkup,
  type TgChat,
} from './state.ts';

export function chatStore(state: FakeState, chatId: number): ChatStore {
  let store = state.chats.get(chatId);
  if (!store) state.chats.set(chatId, (store = { nextMessageId: 1, messages: new Map() }));
  return store;
}

export const nextMessageId = (state: FakeState, chatId: number) => chatStore(state, chatId).nextMessageId++;

/** The chat's messages still there, oldest first (copies). */
export function chatMessages(state: FakeState, chatId: number): ChatMessage[] {
  return [...chatStore(state, chatId).messages.values()].sort((a, b) => a.message_id - b.message_id).map(copy);
}

/** Keeps a message (from either side); returns the stored object. */
export function keepMessage(state: FakeState, message: ChatMessage): ChatMessage {
  chatStore(state, message.chat.id).messages.set(message.message_id, message);
  return message;
}

/** Only inline keyboards are part of a Message; reply keyboards are not echoed back. */
function inlineMarkupOf(value: unknown): InlineMarkup | undefined {
  const keyboard = (value as { inline_keyboard?: unknown } | undefined)?.inline_keyboard;
  return Array.isArray(keyboard) && keyboard.length > 0
    ? { inline_keyboard: keyboard as InlineMarkup['inline_keyboard'] }
    : undefined;
}

/**
 * What the user sees of `text` sent with `parse_mode`: HTML tags are dropped and entities decoded
 * (Telegram returns the plain text plus entities, which this fake does not compute). Markdown
 * modes are kept as sent.
 */
function shownText(text: string, parseMode: unknown): string {
  if (textOf(parseMode).toLowerCase() !== 'html') return text;
  return text
    .replace(/<[^>]*>/g, '')
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

/** Creates, keeps and announces a message from the bot in the call's chat. */
export function sendToChat(call: MethodCall, chat: TgChat, content: Partial<ChatMessage>): ChatMessage {
  const { state, params } = call;
  const markup = inlineMarkupOf(params.reply_markup);
  const message: ChatMessage = {
    message_id: nextMessageId(state, chat.id),
    from: botUser(state),
    chat,
    date: nowSeconds(state),
    ...content,
    ...(markup ? { reply_markup: markup } : {}),
  };
  keepMessage(state, message);
  state.events.emit({ kind: 'bot-message', chatId: chat.id, message: copy(message) });
  return copy(message);
}

/** The bot's own message targeted by an edit: 400s as Telegram words them. */
function messageToEdit({ state, params }: MethodCall): ChatMessage {
  if (params.inline_message_id !== undefined) throw bad('inline messages are not simulated by this fake');
  const chat = targetChat(state, params);
  const messageId = intOf(params.message_id, 0);
  if (messageId <= 0) throw bad('message identifier is not specified');
  const message = chatStore(state, chat.id).messages.get(messageId);
  if (!message) throw bad('message to edit not found');
  if (message.from?.id !== state.botId) throw bad("message can't be edited");
  return message;
}

const sameMarkup = (a: InlineMarkup | undefined, b: InlineMarkup | undefined) =>
  JSON.stringify(a) === JSON.stringify(b);

/** Applies an edit, or answers "message is not modified" when nothing would change. */
function applyEdit(call: MethodCall, message: ChatMessage, change: Partial<ChatMessage>): ChatMessage {
  const markup = inlineMarkupOf(call.params.reply_markup);
  const unchanged =
    Object.entries(change).every(([field, value]) => message[field] === value) &&
    sameMarkup(message.reply_markup, markup);
  if (unchanged) throw new ApiError(TelegramErrors.notModified());
  for (const [field, value] of Object.entries(change)) {
    if (value === undefined) delete message[field];
    else message[field] = value;
  }
  // Telegram removes the inline keyboard when an edit does not pass one again.
  if (markup) message.reply_markup = markup;
  else delete message.reply_markup;
  message.edit_date = nowSeconds(call.state);
  call.state.events.emit({ kind: 'bot-edit', chatId: message.chat.id, message: copy(message) });
  return copy(message);
}

function checkedText(call: MethodCall): string {
  const text = shownText(textOf(call.params.text), call.params.parse_mode);
  if (text.trim() === '') throw bad('message text is empty');
  if (text.length > 4096) throw bad('message is too long');
  return text;
}

export function checkedCaption(call: MethodCall): string | undefined {
  const caption = shownText(textOf(call.params.caption), call.params.parse_mode);
  if (caption.length > 1024) throw bad('message caption is too long');
  return caption === '' ? undefined : caption;
}

const HAS_CAPTION = ['photo', 'document', 'video', 'audio', 'animation', 'voice'];

export const chatMethods: Record<string, MethodHandler> = {
  sendMessage: (call) => sendToChat(call, targetChat(call.state, call.params), { text: checkedText(call) }),

  editMessageText: (call) => {
    const message = messageToEdit(call);
    if (message.text === undefined) throw bad('there is no text in the message to edit');
    return applyEdit(call, message, { text: checkedText(call) });
  },

  editMessageCaption: (call) => {
    const message = messageToEdit(call);
    if (!HAS_CAPTION.some((media) => message[media] !== undefined))
      throw bad('there is no caption in the message to edit');
    return applyEdit(call, message, { caption: checkedCaption(call) });
  },

  editMessageReplyMarkup: (call) => applyEdit(call, messageToEdit(call), {}),

  deleteMessage: ({ state, params }) => {
    const chat = targetChat(state, params);
    const messageId = intOf(params.message_id, 0);
    const messages = chatStore(state, chat.id).messages;
    if (!messages.delete(messageId)) throw bad('message to delete not found');
    state.events.emit({ kind: 'delete', chatId: chat.id, messageId });
    return true;
  },
};
