/** lib/telegram-grammy: the Bot API port modules use, over grammY, against the fake Telegram server. */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { Api, GrammyError } from 'grammy';
import { TelegramApiError } from '../../src/lib/telegram.ts';
import { telegramClient } from '../../src/lib/telegram-grammy.ts';
import { startFakeTelegram, TelegramErrors, type FakeTelegram } from '../fakes/telegram.ts';

const TOKEN = '515151:port-test-token';
let fake: FakeTelegram;
let client: ReturnType<typeof telegramClient>;
beforeAll(async () => {
  fake = await startFakeTelegram({ token: TOKEN });
  client = telegramClient(new Api(TOKEN, { apiRoot: fake.apiRoot }));
});
afterAll(() => fake.stop());

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('telegram client port', () => {
  test('sends a message and a streamed document; the document comes back with its file_id', async () => {
    expect((await client.sendMessage(7001, 'hello', { disableLinkPreview: true })).messageId).toBeGreaterThan(0);
    const stream = new Blob([new Uint8Array([1, 2, 3])]).stream() as ReadableStream<Uint8Array>;
    const sent = await client.sendDocument(7001, { stream, filename: 'a.pdf' }, { caption: 'A' });
    expect(sent.fileId).toBeString();
    expect((await client.sendDocument(7001, sent.fileId!)).messageId).toBeGreaterThan(sent.messageId);
  });

  test('a message with inline buttons: rows of text and callback data, as Telegram reads them', async () => {
    await client.sendMessage(7004, 'sold', { buttons: [[{ text: 'Dashboard', callbackData: 'd' }]] });
    expect(fake.calls('sendMessage').at(-1)?.params).toMatchObject({
      chat_id: 7004,
      text: 'sold',
      reply_markup: { inline_keyboard: [[{ text: 'Dashboard', callback_data: 'd' }]] },
    });
  });

  test('the refusals a module acts on arrive as TelegramApiError with their reason', async () => {
    const cases = [
      [TelegramErrors.blocked(), 'blocked'],
      [TelegramErrors.unauthorized(), 'unauthorized'],
      [TelegramErrors.entityTooLarge(), 'too_large'],
      [TelegramErrors.badRequest('wrong file identifier/HTTP URL specified'), 'stale_file_id'],
    ] as const;
    for (const [body, reason] of cases) {
      fake.failNext('sendMessage', body);
      const error = await failure(client.sendMessage(7002, 'x'));
      expect(error).toBeInstanceOf(TelegramApiError);
      expect(error).toMatchObject({ reason, method: 'sendMessage', description: body.description });
    }
  });

  test('anything else passes as grammY raised it: a flood wait keeps its retry_after', async () => {
    fake.failNext('sendMessage', TelegramErrors.tooManyRequests(5));
    const flood = await failure(client.sendMessage(7003, 'x'));
    expect(flood).toBeInstanceOf(GrammyError);
    expect(flood).toMatchObject({ error_code: 429, parameters: { retry_after: 5 } });
    fake.failNext('sendMessage', TelegramErrors.badRequest('message is too long'));
    expect(await failure(client.sendMessage(7003, 'x'))).toBeInstanceOf(GrammyError);
  });
});
