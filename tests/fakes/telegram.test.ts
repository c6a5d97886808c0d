import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { Api, GrammyError, HttpError, InputFile } from 'grammy';
import { createHash } from 'node:crypto';
import {
  DOWNLOAD_LIMIT_BYTES,
  startFakeTelegram,
  TelegramErrors,
  UPLOAD_LIMIT_BYTES,
  type FakeTelegram,
} from './telegram.ts';

const TOKEN = '123456:TEST-token_for_the_fake';
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

let fake: FakeTelegram;
let api: Api;
beforeAll(async () => {
  fake = await startFakeTelegram({ token: TOKEN, clock: { now: () => 1_750_000_000_000 } });
  api = new Api(TOKEN, { apiRoot: fake.apiRoot });
});
afterAll(() => fake.stop());

const call = (method: string, init: RequestInit = {}, token = TOKEN) =>
  fetch(`${fake.apiRoot}/bot${token}/${method}`, init);
const postJson = (method: string, body: unknown, token = TOKEN) =>
  call(method, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }, token);

/** A curl-style upload: the file part sits under the parameter's own name. */
function upload(chatId: number, bytes: Uint8Array, name: string) {
  const form = new FormData();
  form.set('chat_id', String(chatId));
  form.set('document', new Blob([bytes]), name);
  return call('sendDocument', { method: 'POST', body: form });
}

describe('fake Telegram: requests and envelopes', () => {
  test('getMe answers { ok: true, result } as JSON with the bot user', async () => {
    const response = await postJson('getMe', {});
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    const body = (await response.json()) as { ok: boolean; result: Record<string, unknown> };
    expect(body.ok).toBe(true);
    expect(body.result).toMatchObject({ id: 123456, is_bot: true, username: 'techbot_test_bot' });
    expect(await api.getMe()).toMatchObject({ id: 123456, is_bot: true });
  });

  test('parameters come as query string, url-encoded form or JSON; method names ignore case', async () => {
    await call('SENDMESSAGE?chat_id=7&text=from%20query');
    await call('sendMessage', { method: 'POST', body: new URLSearchParams({ chat_id: '7', text: 'from form' }) });
    const sent = await api.sendMessage(7, 'from grammY', {
      reply_markup: { inline_keyboard: [[{ text: 'Buy', callback_data: 'buy' }]] },
    });
    expect(sent).toMatchObject({ chat: { id: 7, type: 'private' }, text: 'from grammY', date: 1_750_000_000 });
    expect(sent.reply_markup?.inline_keyboard[0]?.[0]).toEqual({ text: 'Buy', callback_data: 'buy' });
    const texts = fake.calls('sendMessage').map((c) => c.params.text);
    expect(texts).toEqual(['from query', 'from form', 'from grammY']);
    const ids = fake
      .calls('sendMessage')
      .map((c) => (c.response.ok ? (c.response.result as { message_id: number }).message_id : 0));
    expect(new Set(ids).size).toBe(3);
  });

  test('a wrong token gets 401 Unauthorized; a malformed one, or a path outside /bot, 404 Not Found', async () => {
    const wrong = await postJson('getMe', {}, '123456:not-the-right-token');
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ ok: false, error_code: 401, description: 'Unauthorized' });
    const malformed = await postJson('getMe', {}, 'no-colon-here');
    expect(malformed.status).toBe(404);
    expect(await malformed.json()).toEqual({ ok: false, error_code: 404, description: 'Not Found' });
    expect((await fetch(`${fake.apiRoot}/somewhere`)).status).toBe(404);
    const badApi = new Api('123456:not-the-right-token', { apiRoot: fake.apiRoot });
    const error = await badApi.getMe().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GrammyError);
    expect((error as GrammyError).error_code).toBe(401);
  });

  test('an unknown method gets 404 "Not Found: method not found"; bad parameters get 400 Bad Request', async () => {
    const unknown = await postJson('sendTelepathy', { chat_id: 1 });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ ok: false, error_code: 404, description: 'Not Found: method not found' });
    const empty = await postJson('sendMessage', { chat_id: 1, text: ' ' });
    expect(empty.status).toBe(400);
    expect(await empty.json()).toEqual({
      ok: false,
      error_code: 400,
      description: 'Bad Request: message text is empty',
    });
    expect(await (await postJson('sendMessage', { text: 'hi' })).json()).toMatchObject({
      description: 'Bad Request: chat_id is empty',
    });
    expect(await (await postJson('sendDocument', { chat_id: 1 })).json()).toMatchObject({
      description: 'Bad Request: there is no document in the request',
    });
  });
});

describe('fake Telegram: files', () => {
  test('a multipart upload is stored; getFile gives a file_path whose download returns the same bytes', async () => {
    const bytes = crypto.getRandomValues(new Uint8Array(300_000));
    const response = await upload(42, bytes, 'Guide complet.pdf');
    expect(response.status).toBe(200);
    const { result } = (await response.json()) as { result: { document: Record<string, unknown> } };
    expect(result.document).toMatchObject({
      file_name: 'Guide complet.pdf',
      mime_type: 'application/pdf',
      file_size: 300_000,
    });
    const fileId = result.document.file_id as string;
    expect(fake.lastCall('sendDocument').files).toEqual([
      { field: 'document', filename: 'Guide complet.pdf', size: 300_000, sha256: sha256(bytes) },
    ]);

    const file = await api.getFile(fileId);
    expect(file).toMatchObject({ file_id: fileId, file_unique_id: result.document.file_unique_id, file_size: 300_000 });
    expect(file.file_path).toMatch(/^documents\/file_\d+\.pdf$/);
    const download = await fetch(`${fake.apiRoot}/file/bot${TOKEN}/${file.file_path}`);
    expect(download.status).toBe(200);
    expect(sha256(new Uint8Array(await download.arrayBuffer()))).toBe(sha256(bytes));
    expect((await fetch(`${fake.apiRoot}/file/bot123456:wrong/${file.file_path}`)).status).toBe(404);
  });

  test('grammY uploads (attach://) and resends by file_id without a new upload; unknown ids are refused', async () => {
    const bytes = new TextEncoder().encode('chapter one\n'.repeat(1000));
    const first = await api.sendDocument(9, new InputFile(bytes, 'notes.txt'), { caption: 'Your course' });
    expect(first.caption).toBe('Your course');
    const uploadCall = fake.lastCall('sendDocument');
    expect(uploadCall.params.document).toBe(`attach://${uploadCall.files[0]!.field}`);
    expect(uploadCall.files[0]).toMatchObject({ filename: 'notes.txt', sha256: sha256(bytes) });

    const again = await api.sendDocument(10, first.document.file_id);
    expect(again.document).toEqual(first.document);
    expect(fake.lastCall('sendDocument').files).toEqual([]);

    const refused = await api.sendDocument(10, 'BQACAgIAAxkBAAIunknown').catch((e: unknown) => e);
    expect(refused).toMatchObject({
      error_code: 400,
      description: 'Bad Request: wrong file identifier/HTTP URL specified',
    });
    expect(await api.getFile('BQACAgIAAxkBAAIunknown').catch((e: unknown) => e)).toMatchObject({
      error_code: 400,
      description: 'Bad Request: invalid file_id',
    });
  });

  test('limits: getFile of a file over 20 MB -> 400 "file is too big"; an upload over 50 MB -> 413', async () => {
    const big = await (await upload(42, new Uint8Array(DOWNLOAD_LIMIT_BYTES + 1), 'big.zip')).json();
    const fileId = (big as { result: { document: { file_id: string } } }).result.document.file_id;
    const tooBig = await postJson('getFile', { file_id: fileId });
    expect(tooBig.status).toBe(400);
    expect(await tooBig.json()).toEqual({ ok: false, error_code: 400, description: 'Bad Request: file is too big' });

    const huge = await upload(42, new Uint8Array(UPLOAD_LIMIT_BYTES + 1), 'huge.zip');
    expect(huge.status).toBe(413);
    expect(await huge.json()).toEqual({ ok: false, error_code: 413, description: 'Request Entity Too Large' });

    // grammY streams without Content-Length: the fake reads to the end, then answers 413.
    async function* chunks() {
      for (let i = 0; i < 52; i++) yield new Uint8Array(1024 * 1024);
    }
    const streamed = await api.sendDocument(42, new InputFile(chunks(), 'stream.zip')).catch((e: unknown) => e);
    expect(streamed).toBeInstanceOf(GrammyError);
    expect(streamed).toMatchObject({ error_code: 413, description: 'Request Entity Too Large' });
  }, 30_000); // moves about 125 MB through the loopback: room for a busy machine
});

describe('fake Telegram: faults', () => {
  test('blockUser: every send to that chat gets 403 "Forbidden: bot was blocked by the user"', async () => {
    fake.blockUser(666);
    const text = await postJson('sendMessage', { chat_id: 666, text: 'hello' });
    expect(text.status).toBe(403);
    expect(await text.json()).toEqual({
      ok: false,
      error_code: 403,
      description: 'Forbidden: bot was blocked by the user',
    });
    expect((await upload(666, new Uint8Array(10), 'a.pdf')).status).toBe(403);
    expect((await postJson('sendMessage', { chat_id: 667, text: 'hello' })).status).toBe(200);
    fake.unblockUser(666);
    expect((await postJson('sendMessage', { chat_id: 666, text: 'hello again' })).status).toBe(200);
  });

  test('failNext: 429 with parameters.retry_after and a Retry-After header, then normal service', async () => {
    fake.failNext('sendMessage', TelegramErrors.tooManyRequests(3));
    const limited = await postJson('sendMessage', { chat_id: 5, text: 'hi' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    expect(await limited.json()).toEqual({
      ok: false,
      error_code: 429,
      description: 'Too Many Requests: retry after 3',
      parameters: { retry_after: 3 },
    });
    expect(fake.lastCall('sendMessage')).toMatchObject({ status: 429, params: { chat_id: 5, text: 'hi' } });
    expect((await postJson('sendMessage', { chat_id: 5, text: 'hi' })).status).toBe(200);
  });

  test('failNext: 5xx answers, several in a row, reach grammY as GrammyError', async () => {
    fake.failNext('getMe', TelegramErrors.badGateway(), 2);
    for (let i = 0; i < 2; i++) {
      const error = await api.getMe().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GrammyError);
      expect(error).toMatchObject({ error_code: 502, description: 'Bad Gateway' });
    }
    expect(await api.getMe()).toMatchObject({ is_bot: true });
  });

  test('failAlways and forgetMethods last until restore, like a Bot API that dislikes or lacks a method', async () => {
    fake.failAlways('setMyCommands', TelegramErrors.badRequest('BOT_COMMAND_INVALID'));
    fake.forgetMethods('setMyDescription', 'setChatMenuButton');
    for (let i = 0; i < 3; i++) {
      const refused = await postJson('setMyCommands', { commands: [{ command: 'start', description: 'Start' }] });
      expect(refused.status).toBe(400);
      expect(await refused.json()).toEqual({
        ok: false,
        error_code: 400,
        description: 'Bad Request: BOT_COMMAND_INVALID',
      });
      const unknown = await postJson('setMyDescription', { description: 'A shop' });
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toEqual({ ok: false, error_code: 404, description: 'Not Found: method not found' });
    }
    expect(fake.calls('setMyDescription')).toHaveLength(3);
    fake.restore('setMyDescription');
    expect(await api.setMyDescription('A shop', { language_code: 'en' })).toBe(true);
    expect(fake.profile().descriptions.get('en')).toBe('A shop');
    expect((await postJson('setChatMenuButton', { menu_button: { type: 'commands' } })).status).toBe(404);
    fake.restore();
    expect(await api.setChatMenuButton({ menu_button: { type: 'commands' } })).toBe(true);
    expect(await api.getChatMenuButton()).toEqual({ type: 'commands' });
    expect(await api.setMyCommands([{ command: 'start', description: 'Start' }])).toBe(true);
  });

  test('goOffline refuses connections (a waiting long poll is cut) until goOnline, on the same address', async () => {
    const poll = api.getUpdates({ timeout: 30 });
    await fake.waitForLongPoll('waiting');
    await fake.goOffline();
    expect(await poll.catch(() => [])).toEqual([]);
    const error = await api.getMe().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    fake.goOnline();
    expect(await api.getMe()).toMatchObject({ is_bot: true });
  });
});
