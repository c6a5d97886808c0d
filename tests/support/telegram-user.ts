/**
 * A simulated Telegram user for story-like bot tests, made by the fake Telegram:
 *
 *   const alice = fake.user({ first_name: 'Alice', language_code: 'fr' });
 *   await alice.send('/start p_TBF-2611-ABCDEF');
 *   await alice.waitForMessage(/Guide complet/);
 *   await alice.tap('Buy with BTC');
 *   const paid = await alice.pay();
 *
 * Everything the user does becomes a real update (message, edited_message, callback_query,
 * pre_checkout_query, my_chat_member) that the bot receives through getUpdates or its webhook.
 * Waits resolve on the bot's action itself, with a bounded timeout, never by sleeping.
 */
import { storeUserDocument, storeUserPhoto } from '../fakes/telegram/files.ts';
import { createHash, randomInt } from 'node:crypto';
import { chatMessages, chatStore, keepMessage, nextMessageId } from '../fakes/telegram/chats.ts';
import type { CallbackAnswer, FakeEvent } from '../fakes/telegram/events.ts';
import { invoiceKey, recordCharge, type InvoiceDetails } from '../fakes/telegram/payments.ts';
import {
  botUser,
  chatFor,
  copy,
  nowSeconds,
  type ChatMessage,
  type FakeState,
  type InlineButton,
  type TgUser,
} from '../fakes/telegram/state.ts';
import { SETTLED, type UpdateRecord } from '../fakes/telegram/updates.ts';

export interface UserProfile {
  id?: number;
  first_name?: string;
  last_name?: string;
  username?: string;
  language_code?: string;
  is_premium?: true;
}

/** What the fake hands its users: its state and the way to queue an update. */
export interface UserPort {
  state: FakeState;
  pushUpdate(update: Record<string, unknown>): UpdateRecord;
}

/** A message to wait for: text/caption containing a string, matching a RegExp, or any test. */
export type MessageMatch = string | RegExp | ((message: ChatMessage) => boolean);

export interface ReceivedFile {
  message_id: number;
  file_id: string;
  file_name?: string;
  mime_type?: string;
  file_size: number;
  caption?: string;
  sha256: string;
  bytes: Uint8Array;
}

export interface PayOptions {
  /** Which invoice (default: the latest one the bot sent this user). */
  messageId?: number;
  telegramPaymentChargeId?: string;
  /** Sends the same successful_payment message a second time (a redelivery) to test idempotency. */
  duplicate?: boolean;
  /** How long the bot has to answer the pre-checkout query (Telegram: 10 s). */
  timeoutMs?: number;
}

export type PayOutcome =
  | {
      ok: true;
      message: ChatMessage;
      successful_payment: NonNullable<ChatMessage['successful_payment']>;
      updates: UpdateRecord[];
    }
  | { ok: false; error_message?: string; timedOut: boolean };

const DEFAULT_WAIT_MS = 5000;
const PRE_CHECKOUT_LIMIT_MS = 10_000;
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const digits = (length: number) => Array.from({ length }, (_, i) => randomInt(i === 0 ? 1 : 0, 10)).join('');

/** Telegram marks a leading /command (optionally /command@bot) as a bot_command entity. */
function commandEntities(text: string) {
  const command = /^\/[A-Za-z0-9_]+(@\w+)?/.exec(text)?.[0];
  return command ? { entities: [{ type: 'bot_command', offset: 0, length: command.length }] } : {};
}

function matches(match: MessageMatch, message: ChatMessage): boolean {
  if (typeof match === 'function') return match(message);
  const shown = message.text ?? message.caption ?? '';
  return typeof match === 'string' ? shown.includes(match) : match.test(shown);
}

const describeMessage = (m: ChatMessage) =>
  `#${m.message_id} ${JSON.stringify(m.text ?? m.caption ?? Object.keys(m).find((k) => ['photo', 'document', 'invoice'].includes(k)) ?? '')}`;

/** What Telegram makes of any photo: a JPEG (its magic bytes, then filler). */
const FAKE_JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, ...new Array(2044).fill(7)]);

export class TelegramUser {
  readonly id: number;
  /** The User object Telegram puts in `from`. */
  readonly user: TgUser;
  private readonly state: FakeState;
  /** Event position at this user's last action: waits look from there on. */
  private cursor: number;
  private readonly pushed: UpdateRecord[] = [];
  private lastQueryId?: string;

  constructor(
    private readonly port: UserPort,
    profile: UserProfile & { id: number },
  ) {
    this.state = port.state;
    this.id = profile.id;
    this.user = { ...profile, id: profile.id, is_bot: false, first_name: profile.first_name ?? 'Test' };
    this.state.profiles.set(this.id, this.user);
    this.cursor = this.state.events.seq;
  }

  private get name() {
    return `${this.user.first_name} (${this.id})`;
  }

  /** Marks the start of an action and queues its update. */
  private push(update: Record<string, unknown>): UpdateRecord {
    const record = this.port.pushUpdate(update);
    this.pushed.push(record);
    return record;
  }

  private act(): void {
    if (this.state.blocked.has(String(this.id))) throw new Error(`${this.name} blocked the bot; call unblock() first`);
    this.cursor = this.state.events.seq;
  }

  /** A new message from this user in the private chat (kept in the chat like Telegram does). */
  private ownMessage(content: Partial<ChatMessage>): ChatMessage {
    const message: ChatMessage = {
      message_id: nextMessageId(this.state, this.id),
      from: { ...this.user },
      chat: chatFor(this.state, this.id),
      date: nowSeconds(this.state),
      ...content,
    };
    return copy(keepMessage(this.state, message));
  }

  /** Sends text; a leading /command gets its `bot_command` entity, as Telegram adds it. */
  async send(text: string): Promise<ChatMessage> {
    this.act();
    const message = this.ownMessage({ text, ...commandEntities(text) });
    this.push({ message });
    return message;
  }

  async sendSticker(sticker: { emoji?: string; set_name?: string } = {}): Promise<ChatMessage> {
    this.act();
    const message = this.ownMessage({
      sticker: {
        file_id: `CAACAgIAAxkBAAI${digits(20)}`,
        file_unique_id: `AgAD${digits(8)}`,
        type: 'regular',
        width: 512,
        height: 512,
        is_animated: false,
        is_video: false,
        emoji: sticker.emoji ?? '👍',
        ...(sticker.set_name ? { set_name: sticker.set_name } : {}),
      },
    });
    this.push({ message });
    return message;
  }

  /**
   * Sends a file as a document (kept by the fake like Telegram keeps it: the bot gets its file_id,
   * getFile gives a path up to 20 MB, the bytes download from it).
   */
  async sendDocument(name: string, bytes: Uint8Array): Promise<ChatMessage> {
    this.act();
    const sha256 = new Bun.CryptoHasher('sha256').update(bytes).digest('hex');
    const { file_id, file_unique_id, file_name, mime_type, file_size } = storeUserDocument(
      this.state,
      name,
      bytes,
      sha256,
    );
    const message = this.ownMessage({
      document: { file_id, file_unique_id, file_name, mime_type, file_size },
    } as Partial<ChatMessage>);
    this.push({ message });
    return message;
  }

  /**
   * Sends a photo (Telegram gives the bot its sizes; here one, with the photo's file_id), with an
   * optional caption; a leading /command is a bot_command in `caption_entities`, as Telegram marks it.
   */
  async sendPhoto(bytes: Uint8Array = FAKE_JPEG, caption?: string): Promise<ChatMessage> {
    this.act();
    const sha256 = new Bun.CryptoHasher('sha256').update(bytes).digest('hex');
    const { file_id, file_unique_id, file_size } = storeUserPhoto(this.state, bytes, sha256);
    const entities = caption === undefined ? undefined : commandEntities(caption).entities;
    const message = this.ownMessage({
      photo: [{ file_id, file_unique_id, file_size, width: 512, height: 512 }],
      ...(caption === undefined ? {} : { caption }),
      ...(entities ? { caption_entities: entities } : {}),
    } as Partial<ChatMessage>);
    this.push({ message });
    return message;
  }

  /** Edits this user's last text message: the bot gets an edited_message update. */
  async editLast(text: string): Promise<ChatMessage> {
    this.act();
    const own = [...chatStore(this.state, this.id).messages.values()].filter(
      (m) => m.from?.id === this.id && m.text !== undefined,
    );
    const last = own.at(-1);
    if (!last) throw new Error(`${this.name} has no text message to edit`);
    delete last.entities;
    Object.assign(last, { text, edit_date: nowSeconds(this.state), ...commandEntities(text) });
    this.push({ edited_message: copy(last) });
    return copy(last);
  }

  /** The bot's messages in this chat as they are now (edits applied), oldest first. */
  messages(): ChatMessage[] {
    return chatMessages(this.state, this.id).filter((m) => m.from?.id === this.state.botId);
  }

  lastMessage(): ChatMessage {
    const last = this.messages().at(-1);
    if (!last) throw new Error(`the bot has not sent anything to ${this.name} yet`);
    return last;
  }

  /** Button labels of a message (default: the latest bot message with an inline keyboard). */
  buttons(messageId?: number): string[] {
    const withKeyboard = this.messages().filter(
      (m) => m.reply_markup && (messageId === undefined || m.message_id === messageId),
    );
    return (withKeyboard.at(-1)?.reply_markup?.inline_keyboard.flat() ?? []).map((button) => button.text);
  }

  /**
   * Presses the inline button labelled `label` (exact text, or a RegExp) in the most recent bot
   * message that has it: the bot gets a callback_query with the button's callback_data.
   */
  async tap(
    label: string | RegExp,
    options: { messageId?: number } = {},
  ): Promise<{ id: string; data: string; message: ChatMessage }> {
    this.act();
    const isIt = (button: InlineButton) =>
      typeof label === 'string' ? button.text === label : label.test(button.text);
    const candidates = this.messages().filter(
      (m) => options.messageId === undefined || m.message_id === options.messageId,
    );
    for (const message of candidates.reverse()) {
      const button = message.reply_markup?.inline_keyboard.flat().find(isIt);
      if (!button) continue;
      if (button.callback_data === undefined) {
        const kind = button.url
          ? `a URL button (${button.url})`
          : button.pay
            ? 'a Pay button: use pay()'
            : 'not a callback button';
        throw new Error(`"${button.text}" is ${kind}`);
      }
      const id = this.press(message, button.callback_data);
      return { id, data: button.callback_data, message };
    }
    const onScreen = this.messages()
      .filter((m) => m.reply_markup)
      .slice(-3)
      .map(
        (m) =>
          `${describeMessage(m)}: ${m
            .reply_markup!.inline_keyboard.flat()
            .map((b) => JSON.stringify(b.text))
            .join(' | ')}`,
      );
    throw new Error(
      `${this.name} sees no button ${String(label)}; buttons on screen:\n  ${onScreen.join('\n  ') || '(none)'}`,
    );
  }

  /**
   * Sends a callback_query with any data on the user's last bot message, as a forged or modified
   * client would (admin: a forged admin button must do nothing).
   */
  pressData(data: string): void {
    this.act();
    const message = this.messages().at(-1);
    if (!message) throw new Error(`${this.name} has no bot message to press on`);
    this.press(message, data);
  }

  /** A callback_query with `data` on `message`, as Telegram sends it for a press; its id. */
  private press(message: ChatMessage, data: string): string {
    const id = digits(19);
    this.state.callbackQueries.set(id, {
      id,
      user_id: this.id,
      chat_id: this.id,
      message_id: message.message_id,
      data,
    });
    this.lastQueryId = id;
    const chat_instance = String(BigInt(this.id) * 7_919n + 1_234_567n);
    this.push({ callback_query: { id, from: { ...this.user }, message, chat_instance, data } });
    return id;
  }

  /** The bot's answerCallbackQuery to the last tap (waits for it). */
  callbackAnswer(options: { timeoutMs?: number } = {}): Promise<CallbackAnswer> {
    const id = this.lastQueryId;
    if (!id) return Promise.reject(new Error(`${this.name} has not tapped anything`));
    const known = this.state.callbackQueries.get(id)?.answer;
    if (known) return Promise.resolve(known);
    return this.state.events.waitFor((e) => (e.kind === 'callback-answer' && e.queryId === id ? e.answer : undefined), {
      after: this.cursor,
      timeoutMs: options.timeoutMs ?? DEFAULT_WAIT_MS,
      describe: () => `the bot did not answer ${this.name}'s callback query ${id}`,
    });
  }

  /**
   * Resolves with the first message the bot sends or edits in this chat after this user's last
   * action (or from now with `since: 'now'`) that matches.
   */
  waitForMessage(
    match: MessageMatch,
    options: { timeoutMs?: number; since?: 'action' | 'now' } = {},
  ): Promise<ChatMessage> {
    const after = options.since === 'now' ? this.state.events.seq : this.cursor;
    const pick = (e: FakeEvent) =>
      (e.kind === 'bot-message' || e.kind === 'bot-edit') && e.chatId === this.id && matches(match, e.message)
        ? e.message
        : undefined;
    return this.state.events.waitFor(pick, {
      after,
      timeoutMs: options.timeoutMs ?? DEFAULT_WAIT_MS,
      describe: () => {
        const seen = this.state.events
          .since(after)
          .flatMap((e) =>
            (e.kind === 'bot-message' || e.kind === 'bot-edit') && e.chatId === this.id
              ? [`${e.kind} ${describeMessage(e.message)}`]
              : [],
          );
        return `no message for ${this.name} matching ${String(match)}; the bot sent: ${seen.join(', ') || 'nothing'}`;
      },
    });
  }

  /**
   * Pays the latest invoice: a pre_checkout_query, then (if the bot says ok within the time limit)
   * a successful_payment message with a fresh telegram_payment_charge_id.
   */
  async pay(options: PayOptions = {}): Promise<PayOutcome> {
    this.act();
    const invoice = this.invoice(options.messageId);
    const id = digits(19);
    this.state.preCheckoutQueries.set(id, { id, user_id: this.id, invoice, expired: false });
    const { currency, total_amount, payload: invoice_payload } = invoice;
    this.push({ pre_checkout_query: { id, from: { ...this.user }, currency, total_amount, invoice_payload } });
    const timeoutMs = options.timeoutMs ?? PRE_CHECKOUT_LIMIT_MS;
    const answer = await this.state.events
      .waitFor((e) => (e.kind === 'pre-checkout-answer' && e.queryId === id ? e : undefined), {
        after: this.cursor,
        timeoutMs,
        describe: () => `pre-checkout query ${id} unanswered`,
      })
      .catch(() => undefined);
    if (!answer) {
      this.state.preCheckoutQueries.get(id)!.expired = true;
      return { ok: false, timedOut: true };
    }
    if (!answer.ok) return { ok: false, error_message: answer.error_message, timedOut: false };
    const successful_payment = {
      currency,
      total_amount,
      invoice_payload,
      telegram_payment_charge_id: options.telegramPaymentChargeId ?? `stxTEST${digits(24)}`,
      provider_payment_charge_id: currency === 'XTR' ? '' : `ch_${digits(16)}`,
    };
    recordCharge(this.state, { user_id: this.id, ...successful_payment });
    const message = this.ownMessage({ successful_payment });
    const updates = [this.push({ message })];
    if (options.duplicate) updates.push(this.push({ message }));
    return { ok: true, message, successful_payment, updates };
  }

  private invoice(messageId?: number): InvoiceDetails {
    const invoices = this.messages().filter(
      (m) => m.invoice && (messageId === undefined || m.message_id === messageId),
    );
    const last = invoices.at(-1);
    const details = last && this.state.invoices.get(invoiceKey(this.id, last.message_id));
    if (!details) throw new Error(`the bot has sent ${this.name} no invoice${messageId ? ` #${messageId}` : ''}`);
    return details;
  }

  /** Documents the bot sent this user, with the bytes Telegram holds for them. */
  documents(): ReceivedFile[] {
    return this.messages().flatMap((m) => (m.document ? [this.received(m, m.document.file_id)] : []));
  }

  /** Photos the bot sent this user (the largest size of each). */
  photos(): ReceivedFile[] {
    return this.messages().flatMap((m) => (m.photo?.length ? [this.received(m, m.photo.at(-1)!.file_id)] : []));
  }

  private received(message: ChatMessage, fileId: string): ReceivedFile {
    const file = this.state.files.get(fileId);
    if (!file) throw new Error(`message #${message.message_id} names unknown file ${fileId}`);
    return {
      message_id: message.message_id,
      file_id: fileId,
      ...(message.document ? { file_name: file.file_name, mime_type: file.mime_type } : {}),
      file_size: file.file_size,
      ...(message.caption ? { caption: message.caption } : {}),
      sha256: sha256(file.bytes),
      bytes: file.bytes,
    };
  }

  /** Blocks the bot: sends to this chat answer 403, and the bot gets a my_chat_member update. */
  async block(): Promise<void> {
    this.act();
    this.state.blocked.add(String(this.id));
    this.memberUpdate('member', 'kicked');
  }

  async unblock(): Promise<void> {
    this.state.blocked.delete(String(this.id));
    this.act();
    this.memberUpdate('kicked', 'member');
  }

  private memberUpdate(from: string, to: string): void {
    const bot = botUser(this.state);
    const status = (s: string) => ({ user: bot, status: s, ...(s === 'kicked' ? { until_date: 0 } : {}) });
    const chat = chatFor(this.state, this.id);
    this.push({
      my_chat_member: {
        chat,
        from: { ...this.user },
        date: nowSeconds(this.state),
        old_chat_member: status(from),
        new_chat_member: status(to),
      },
    });
  }

  /**
   * Resolves when every update this user caused has been consumed: confirmed by a later
   * getUpdates offset, or answered 2xx by the webhook (or dropped / filtered). With grammY's
   * bot.start() and webhooks that means handled; @grammyjs/runner confirms while still handling,
   * so there wait for the bot's next reply instead.
   */
  async settled(options: { timeoutMs?: number } = {}): Promise<void> {
    const open = () => this.pushed.filter((record) => !SETTLED.includes(record.status));
    if (open().length === 0) return;
    await this.state.events.waitFor((e) => (e.kind === 'update-status' && open().length === 0 ? true : undefined), {
      after: this.state.events.seq,
      timeoutMs: options.timeoutMs ?? DEFAULT_WAIT_MS,
      describe: () =>
        `updates of ${this.name} not consumed: ${open()
          .map((r) => `${r.update.update_id} ${r.type} ${r.status}`)
          .join(', ')}`,
    });
  }
}
