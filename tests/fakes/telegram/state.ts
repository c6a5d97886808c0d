/**
 * The fake's memory and the shapes it hands out (Telegram's field names, loosely typed so tests
 * can read any field), plus the small helpers every method handler uses.
 */
import type { Clock } from '../../../src/lib/clock.ts';
import type { EventLog } from './events.ts';
import type { ProfileState } from './profile.ts';
import { ApiError, TelegramErrors } from './protocol.ts';
import type { Charge, InvoiceDetails, PreCheckoutRecord } from './payments.ts';
import type { CallbackQueryRecord } from './queries.ts';
import type { UpdateQueue } from './updates.ts';
import type { WebhookState } from './webhook.ts';

export interface TgUser {
  id: number;
  is_bot: boolean;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
  is_premium?: true;
}

export interface TgChat {
  id: number;
  type: 'private' | 'group' | 'supergroup' | 'channel';
  first_name?: string;
  last_name?: string;
  username?: string;
}

export interface InlineButton {
  text: string;
  callback_data?: string;
  url?: string;
  pay?: boolean;
  [field: string]: unknown;
}

export interface InlineMarkup {
  inline_keyboard: InlineButton[][];
}

export interface PhotoSize {
  file_id: string;
  file_unique_id: string;
  width: number;
  height: number;
  file_size?: number;
}

/** A Message (core.telegram.org/bots/api#message): the fields this product meets are typed. */
export interface ChatMessage {
  message_id: number;
  from?: TgUser;
  chat: TgChat;
  date: number;
  edit_date?: number;
  text?: string;
  entities?: { type: string; offset: number; length: number }[];
  caption?: string;
  photo?: PhotoSize[];
  document?: { file_id: string; file_unique_id: string; file_name?: string; mime_type?: string; file_size?: number };
  sticker?: Record<string, unknown>;
  invoice?: { title: string; description: string; start_parameter: string; currency: string; total_amount: number };
  successful_payment?: {
    currency: string;
    total_amount: number;
    invoice_payload: string;
    telegram_payment_charge_id: string;
    provider_payment_charge_id: string;
  };
  reply_markup?: InlineMarkup;
  [field: string]: unknown;
}

/** A file Telegram holds: what the bot uploaded, reachable by its file_id afterwards. */
export interface StoredFile {
  file_id: string;
  file_unique_id: string;
  file_name: string;
  mime_type: string;
  file_size: number;
  sha256: string;
  bytes: Uint8Array;
  /** Where getFile puts it (`documents`, `photos`). */
  kind: 'documents' | 'photos';
  /** Set by the first getFile: the path under /file/bot<token>/. */
  file_path?: string;
}

export interface ChatStore {
  /** Message ids count per chat, shared by both sides of the conversation. */
  nextMessageId: number;
  messages: Map<number, ChatMessage>;
}

export interface FakeState {
  botId: number;
  botUsername: string;
  clock: Clock;
  events: EventLog;
  /** Chats (as strings) whose user blocked the bot. */
  blocked: Set<string>;
  files: Map<string, StoredFile>;
  /** file_path -> file_id, for the download route. */
  paths: Map<string, string>;
  chats: Map<number, ChatStore>;
  /** Users the fake simulates, by id: private chats carry their names. */
  profiles: Map<number, TgUser>;
  updates: UpdateQueue;
  webhook: WebhookState;
  callbackQueries: Map<string, CallbackQueryRecord>;
  preCheckoutQueries: Map<string, PreCheckoutRecord>;
  /** By `${chat_id}:${message_id}` of the invoice message. */
  invoices: Map<string, InvoiceDetails>;
  charges: Map<string, Charge>;
  /** By scope + language (see commands.ts). */
  commands: Map<string, { command: string; description: string }[]>;
  /** Descriptions and menu buttons (see profile.ts). */
  profile: ProfileState;
  /** Set by telegram.ts: hand new updates on (webhook push or waiting long poll). */
  wake: () => void;
  /** Set by telegram.ts: run a method a webhook answered with (a "webhook reply"). */
  runWebhookReply: (method: string, params: Record<string, unknown>) => Promise<void>;
}

export const bad = (what: string) => new ApiError(TelegramErrors.badRequest(what));

export const textOf = (value: unknown) => (value === undefined || value === null ? '' : String(value));

/** Form and multipart parameters arrive as strings: read numbers and booleans from either. */
export function intOf(value: unknown, fallback: number): number {
  if (value === undefined || value === null || value === '') return fallback;
  const number = Number(value);
  return Number.isInteger(number) ? number : fallback;
}

export const boolOf = (value: unknown) => value === true || value === 'true' || value === 1 || value === '1';

export const nowSeconds = (state: FakeState) => Math.floor(state.clock.now() / 1000);

export function botUser(state: FakeState): TgUser {
  return { id: state.botId, is_bot: true, first_name: 'TechBot', username: state.botUsername };
}

/** A private chat with a user the fake knows carries the user's names, like Telegram's. */
export function chatFor(state: FakeState, id: number): TgChat {
  if (id < 0) return { id, type: 'group' };
  const profile = state.profiles.get(id);
  if (!profile) return { id, type: 'private' };
  const { first_name, last_name, username } = profile;
  return { id, type: 'private', first_name, ...(last_name ? { last_name } : {}), ...(username ? { username } : {}) };
}

/** The target chat of a bot call: 400 when missing or unknown, 403 when its user blocked the bot. */
export function targetChat(state: FakeState, params: Record<string, unknown>): TgChat {
  const raw = textOf(params.chat_id);
  if (raw === '') throw bad('chat_id is empty');
  if (!/^-?\d+$/.test(raw)) throw bad('chat not found');
  if (state.blocked.has(raw)) throw new ApiError(TelegramErrors.blocked());
  return chatFor(state, Number(raw));
}

/**
 * A message as the other side receives it: through JSON, as over the wire (undefined fields
 * dropped), and never the fake's own object, which later edits change. JSON is also about four
 * times cheaper than structuredClone here, on every message the bot sends.
 */
export const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
