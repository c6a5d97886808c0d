/**
 * A fake Telegram Bot API: a real HTTP server on 127.0.0.1 that the product reaches through its
 * normal setting (TELEGRAM_API_ROOT -> grammY's `apiRoot`), plus plain methods that let a test
 * read what the bot sent, make Telegram misbehave, and play users (`fake.user(...)`, see
 * tests/support/telegram-user.ts). Method handlers live in ./telegram/*.ts, one file per concern;
 * ./telegram/core.ts holds them without the HTTP server, and ./telegram/in-process.ts answers a
 * grammY bot's calls from the same core without any network (the bot tests of one feature).
 *
 * Protocol facts it follows, and where they come from (core.telegram.org/bots/api is "the
 * reference"; grammY's @grammyjs/types 5.0.0 carries its text; tdlib/telegram-bot-api is the
 * server's source, Client.cpp and WebhookActor.cpp):
 * - Requests: `POST|GET <apiRoot>/bot<token>/<method>`, parameters in the query string,
 *   application/x-www-form-urlencoded, application/json or multipart/form-data (the only way to
 *   upload); method names are case-insensitive ("Making requests"). A file part may sit under the
 *   parameter's own name or be referenced as `attach://<name>` ("Sending files").
 * - Answers: JSON `{ ok: true, result, description? }` or `{ ok: false, error_code, description,
 *   parameters? }` with `retry_after` / `migrate_to_chat_id` ("Making requests"). HTTP status =
 *   error_code; a 429 also carries `Retry-After` (tdlib HttpConnection.cpp). setWebhook and
 *   deleteWebhook add a description: "Webhook was set", "Webhook is already set", "Webhook was
 *   deleted", "Webhook is already deleted" (Client.cpp process_set_webhook_query/do_set_webhook).
 * - Updates ("Update", "getUpdates"): update_id starts at some positive number and increases by
 *   one; at most one of message, edited_message, callback_query, pre_checkout_query, my_chat_member
 *   ... per update. getUpdates(offset, limit 1-100 default 100, timeout seconds default 0,
 *   allowed_updates): returns updates from `offset`; an update is confirmed as soon as getUpdates
 *   is called with a higher offset; a negative offset takes -offset updates from the end and
 *   forgets the rest. With a timeout and nothing queued the request waits and answers when an
 *   update arrives. allowed_updates: omitted = keep the previous setting, [] = default = all but
 *   chat_member, message_reaction, message_reaction_count; other types are never queued
 *   (Client.cpp add_update_impl).
 * - 409s (Client.cpp process_get_updates_query, do_get_updates, abort_long_poll): getUpdates while
 *   a webhook is set -> "Conflict: can't use getUpdates method while webhook is active; use
 *   deleteWebhook to delete the webhook first"; a second long poll ends the FIRST, still waiting,
 *   one with "Conflict: terminated by other getUpdates request; make sure that only one bot
 *   instance is running"; setWebhook ends a waiting poll with "Conflict: terminated by setWebhook
 *   request". grammY's bot.start() rethrows 409s; bot.stop() aborts its poll, then confirms with
 *   getUpdates({ offset, limit: 1 }) (grammy 1.46 out/bot.js).
 * - Webhook ("setWebhook", WebhookActor.cpp): setWebhook(url, secret_token 1-256 of A-Za-z0-9_-,
 *   max_connections 1-100 default 40, allowed_updates, drop_pending_updates); each update is POSTed
 *   as JSON with `X-Telegram-Bot-Api-Secret-Token: <secret_token>` when one was set; a status
 *   other than 2XX is retried with doubling delays, honouring Retry-After, then given up;
 *   getWebhookInfo shows url ('' when none), has_custom_certificate, pending_update_count,
 *   max_connections, allowed_updates, last_error_date and last_error_message "Wrong response from
 *   the webhook: 502 Bad Gateway". A 2XX body that is itself a method call
 *   (`{"method":"sendMessage",...}`) is executed, except get*, setWebhook, deleteWebhook, close and
 *   logOut. Updates of one chat are sent in order.
 * - Messages ("Message", "Updating messages"): message_id, from, chat, date, edit_date, text,
 *   entities (a leading /command is a `bot_command` entity at offset 0), caption, photo (PhotoSize
 *   array), document, sticker, invoice, successful_payment, reply_markup (inline keyboards only).
 *   editMessageText / editMessageCaption / editMessageReplyMarkup return the edited Message; an
 *   edit without reply_markup removes the inline keyboard. Identical content and markup ->
 *   400 "Bad Request: message is not modified: specified new message content and reply markup are
 *   exactly the same as a current content and reply markup of the message" (Client.cpp
 *   MESSAGE_NOT_MODIFIED); unknown id -> "Bad Request: message to edit not found"
 *   (TelegramBotAPI/errors#7, tdlib/telegram-bot-api#400); a user's message -> "Bad Request:
 *   message can't be edited" (telepot#226); text edit of a media message -> "Bad Request: there is
 *   no text in the message to edit" (cusdeb-com/hammett#207). deleteMessage returns True.
 * - CallbackQuery: id, from, message, chat_instance, data. answerCallbackQuery(callback_query_id,
 *   text 0-200, show_alert, url, cache_time); an unknown or already answered id -> 400 "Bad
 *   Request: query is too old and response timeout expired or query ID is invalid" (Client.cpp
 *   QUERY_ID_INVALID). Same for answerPreCheckoutQuery.
 * - Stars ("Payments", "sendInvoice", "answerPreCheckoutQuery", "SuccessfulPayment",
 *   "refundStarPayment"): sendInvoice(chat_id, title 1-32, description 1-255, payload 1-128 bytes,
 *   provider_token '' for Stars, currency "XTR", prices [{ label, amount }] with exactly one item
 *   for Stars) returns a Message with invoice { title, description, start_parameter, currency,
 *   total_amount }; a pre_checkout_query { id, from, currency, total_amount, invoice_payload } must
 *   be answered (ok, error_message required when ok is False) within 10 seconds; then a message
 *   with successful_payment { currency, total_amount, invoice_payload, telegram_payment_charge_id,
 *   provider_payment_charge_id }; refundStarPayment(user_id, telegram_payment_charge_id) -> True,
 *   twice -> 400 "Bad Request: CHARGE_ALREADY_REFUNDED" (tdlib/telegram-bot-api#690). A fiat
 *   currency without provider token -> "Bad Request: PAYMENT_PROVIDER_INVALID"
 *   (python-telegram-bot#4711).
 * - Commands ("setMyCommands"): commands (at most 100; command 1-32 of a-z0-9_, description
 *   1-256), scope (default BotCommandScopeDefault), language_code (two letters or empty); one list
 *   per scope and language; getMyCommands returns [] when none is set. setMyDescription
 *   (description 0-512) and setMyShortDescription (short_description 0-120) per language_code,
 *   '' clears; setChatMenuButton(chat_id?, menu_button { type: commands | web_app | default }),
 *   getChatMenuButton answers { type: 'default' } until one is set.
 * - Errors as Telegram words them (client libraries' fixtures and issue reports): wrong token ->
 *   401 "Unauthorized"; a token not shaped `<digits>:<text>` or a path outside /bot -> 404 "Not
 *   Found"; unknown method -> 404 "Not Found: method not found"; blocked -> 403 "Forbidden: bot was
 *   blocked by the user"; flood -> 429 "Too Many Requests: retry after N"; unknown file_id in a send
 *   -> 400 "Bad Request: wrong file identifier/HTTP URL specified"; in getFile -> 400 "Bad Request:
 *   invalid file_id"; getFile over 20 MB -> 400 "Bad Request: file is too big" (pyTelegramBotAPI
 *   #2527); upload over 50 MB -> 413 "Request Entity Too Large" (telegraf #222); empty text -> 400
 *   "Bad Request: message text is empty"; 500 "Internal Server Error" / 502 "Bad Gateway".
 * - Files: sendDocument/sendPhoto take an upload or a file_id; getFile returns { file_id,
 *   file_unique_id, file_size, file_path }, bytes at `GET <apiRoot>/file/bot<token>/<file_path>`.
 *
 * Assumed, not documented (kept simple on purpose): limits read as MiB; http:// webhook URLs on
 * any port are accepted (Telegram wants HTTPS on 443, 80, 88 or 8443) and are not probed at
 * setWebhook; no 3 s pause between 409s and no forced 3 s timeout for repeated short polls
 * (Client.cpp does both); webhook retries are milliseconds apart, not seconds; the wording of
 * "message to delete not found", "there is no caption in the message to edit", "message
 * identifier is not specified", "secret token contains unallowed characters", "error_message is
 * empty", CHARGE_NOT_FOUND, STARS_INVOICE_INVALID, BOT_COMMAND_INVALID; HTML parse_mode is shown
 * as plain text (tags dropped) but entities are not computed; a photo gets one PhotoSize (PNG
 * size read from the header); Stars charge ids look like `stxTEST...` and
 * provider_payment_charge_id is '' for XTR; ids are opaque strings of this fake's making.
 */
import type { Server } from 'bun';
import { createFakeCore, type FakeCoreOptions } from './telegram/core.ts';
import { downloadResponse } from './telegram/files.ts';
import type { BotCommand, CommandScope } from './telegram/commands.ts';
import type { Charge } from './telegram/payments.ts';
import type { ProfileState } from './telegram/profile.ts';
import {
  errorResponse,
  parseRequest,
  TelegramErrors,
  type ApiErrorBody,
  type ApiResponse,
} from './telegram/protocol.ts';
import type { ChatMessage, StoredFile } from './telegram/state.ts';
import { releaseLongPoll, wakeLongPoll, type UpdateRecord } from './telegram/updates.ts';
import { pumpWebhook, type WebhookConfig } from './telegram/webhook.ts';
import type { TelegramUser, UserProfile } from '../support/telegram-user.ts';

export { TelegramErrors, type ApiErrorBody, type ApiResponse } from './telegram/protocol.ts';
export { DOWNLOAD_LIMIT_BYTES, UPLOAD_LIMIT_BYTES } from './telegram/protocol.ts';
export type { ChatMessage, InlineButton, StoredFile, TgUser } from './telegram/state.ts';
export type { UpdateRecord, UpdateStatus } from './telegram/updates.ts';
export type { TelegramUser } from '../support/telegram-user.ts';
export type { FakeCoreOptions } from './telegram/core.ts';

export interface RecordedUpload {
  /** The multipart field the bytes came in (grammY uses a random attach id). */
  field: string;
  filename: string;
  size: number;
  sha256: string;
}

export interface RecordedCall {
  /** Canonical name (`sendDocument`) when the method exists, else as requested. */
  method: string;
  /** As received: JSON values typed, form values strings (JSON-looking ones decoded). */
  params: Record<string, unknown>;
  files: RecordedUpload[];
  /** HTTP status answered (0 while the call is still being served), and the envelope. */
  status: number;
  response: ApiResponse;
}

export interface FakeTelegram {
  /** What grammY's `apiRoot` (and TELEGRAM_API_ROOT) should be: no trailing slash. */
  readonly apiRoot: string;
  readonly token: string;
  /** Every call to /bot<token>/..., in order, optionally only one method's. */
  calls(method?: string): RecordedCall[];
  /** The last answered call of `method`; throws when there was none. */
  lastCall(method: string): RecordedCall;
  /** Resolves with the next answered call of `method` that `match`es (default: any). */
  waitForCall(
    method: string,
    match?: (call: RecordedCall) => boolean,
    options?: { timeoutMs?: number },
  ): Promise<RecordedCall>;
  /** Resolves once a getUpdates long poll is waiting (`waiting`, default) or none is (`idle`). */
  waitForLongPoll(want?: 'waiting' | 'idle', options?: { timeoutMs?: number }): Promise<void>;
  /** The next `times` calls of `method` get this error instead of being served. */
  failNext(method: string, error: ApiErrorBody, times?: number): void;
  /** From now on every call of `method` gets this error (e.g. 400 for setMyCommands), until `restore`. */
  failAlways(method: string, error: ApiErrorBody): void;
  /**
   * These methods answer 404 "Not Found: method not found", as from a Bot API server that does
   * not know them (an older local server), until `restore`.
   */
  forgetMethods(...methods: string[]): void;
  /** Undoes failAlways and forgetMethods for the methods named (all of them when none is). */
  restore(...methods: string[]): void;
  /** Stops listening: connections are refused and a waiting long poll is cut, until `goOnline`. */
  goOffline(): Promise<void>;
  /** Listens again, on the same port. */
  goOnline(): void;
  /** From now on every send to this chat answers 403 "Forbidden: bot was blocked by the user". */
  blockUser(chatId: number | string): void;
  unblockUser(chatId: number | string): void;
  /** A simulated Telegram user talking to the bot in a private chat. */
  user(profile?: UserProfile): TelegramUser;
  /** Queues a raw update (`{ message: {...} }`; update_id is assigned) for polling or webhook. */
  pushUpdate(update: Record<string, unknown>): UpdateRecord;
  /** Every update queued so far with what became of it (status, webhook attempts). */
  updates(): UpdateRecord[];
  /** The messages of a chat as they are now (both sides, edits applied, deletions gone). */
  chat(chatId: number): ChatMessage[];
  /** A file the bot sent, with its bytes. */
  file(fileId: string): StoredFile | undefined;
  /** The webhook set by the bot, if any. */
  webhook(): WebhookConfig | undefined;
  /** Descriptions and menu buttons the bot set. */
  profile(): ProfileState;
  /** The command list set for a scope and language ('' = the fallback list). */
  commands(scope?: CommandScope, languageCode?: string): BotCommand[] | undefined;
  /** Stars payments made by simulated users, with their refund state. */
  charges(): Charge[];
  stop(): Promise<void>;
}

export type FakeTelegramOptions = FakeCoreOptions;

const json = (envelope: ApiResponse, status = 200, headers: Record<string, string> = {}) =>
  Response.json(envelope, { status, headers });
const failure = (error: ApiErrorBody) => {
  const { status, envelope, headers } = errorResponse(error);
  return json(envelope, status, headers);
};

/** The fake served over HTTP on 127.0.0.1 (long polling, webhooks, file downloads). */
export async function startFakeTelegram(options: FakeTelegramOptions): Promise<FakeTelegram> {
  const { token } = options;
  const { state, dispatch, surface } = createFakeCore(options, {
    wake: (fake) => (fake.webhook.config ? pumpWebhook(fake) : wakeLongPoll(fake)),
    runWebhookReply: async (method, params) => {
      const body = JSON.stringify(params);
      const request = new Request(`${apiRoot}/bot${token}/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      await handleBotApi(request, token, method);
    },
  });

  async function handleBotApi(request: Request, tokenInPath: string, requested: string): Promise<Response> {
    const { status, envelope, headers } = await dispatch(
      () => parseRequest(request),
      tokenInPath,
      requested,
      request.signal,
    );
    return json(envelope, status, headers);
  }

  const handleDownload = (tokenInPath: string, filePath: string) =>
    downloadResponse(state, token, tokenInPath, filePath);

  async function route(request: Request): Promise<Response> {
    const path = decodeURIComponent(new URL(request.url).pathname);
    const download = /^\/file\/bot([^/]+)\/(.+)$/.exec(path);
    if (download && request.method === 'GET') return handleDownload(download[1]!, download[2]!);
    const call = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(path);
    if (call) return handleBotApi(request, call[1]!, call[2]!);
    return failure(TelegramErrors.notFound());
  }

  // idleTimeout 0: a long poll may legitimately stay quiet for its whole timeout.
  const listen = (port: number): Server<undefined> =>
    Bun.serve({ hostname: '127.0.0.1', port, idleTimeout: 0, maxRequestBodySize: 128 * 1024 * 1024, fetch: route });
  let server = listen(0);
  let offline = false;
  const apiRoot = `http://127.0.0.1:${server.port}`;

  return {
    ...surface,
    apiRoot,
    async goOffline() {
      if (offline) return;
      offline = true;
      releaseLongPoll(state);
      await server.stop(true);
    },
    goOnline() {
      if (!offline) return;
      offline = false;
      server = listen(Number(new URL(apiRoot).port));
    },
    async stop() {
      state.webhook.stopped = true;
      releaseLongPoll(state);
      state.events.close();
      if (!offline) await server.stop(true);
    },
  };
}
