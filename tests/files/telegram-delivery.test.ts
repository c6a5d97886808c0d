import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'bun:test';
import { eq } from 'drizzle-orm';
import { Api, GrammyError } from 'grammy';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { PermanentJobError } from '../../src/lib/queue.ts';
import { telegramClient } from '../../src/lib/telegram-grammy.ts';
import { blobPath } from '../../src/modules/files/paths.ts';
import {
  BotBlockedError,
  createTelegramDelivery,
  TelegramTokenError,
  type DeliverFileInput,
  type FileRow,
} from '../../src/modules/files/telegram-delivery.ts';
import { openStore, type Store } from '../../src/store/database.ts';
import { migrate } from '../../src/store/migrate.ts';
import { files } from '../../src/store/schema/index.ts';
import { startFakeTelegram, TelegramErrors, type FakeTelegram } from '../fakes/telegram.ts';
import { silentLogger, tempDir } from '../support/env.ts';

const TOKEN = '987654:delivery-test-token';
const LINK = 'https://shop.example.com/api/downloads/signed-token-abc';
const sha256 = (bytes: Uint8Array) => new Bun.CryptoHasher('sha256').update(bytes).digest('hex');

let fake: FakeTelegram;
let store: Store;
let dir: ReturnType<typeof tempDir>;
let delivery: ReturnType<typeof createTelegramDelivery>;
let n = 0;
/** Each test delivers to its own chat, so it reads only its own calls from the fake. */
let chat = 4200;
beforeEach(() => void chat++);

beforeAll(async () => {
  fake = await startFakeTelegram({ token: TOKEN });
  dir = tempDir('techbot-delivery-');
  store = openStore(':memory:');
  migrate(store.db);
  const api = new Api(TOKEN, { apiRoot: fake.apiRoot });
  delivery = createTelegramDelivery({
    telegram: telegramClient(api),
    db: store.db,
    dataDir: dir.path,
    logger: silentLogger(),
  });
});
afterAll(async () => {
  await fake.stop();
  store.close();
  dir.cleanup();
});

/** A files row and its blob on disk, stored the way the upload pipeline stores it. */
async function storeFile(
  original: Uint8Array<ArrayBuffer>,
  name: string,
  compression: 'none' | 'gzip',
  extra: Partial<FileRow> = {},
) {
  const sha = sha256(original);
  const stored = compression === 'gzip' ? Bun.gzipSync(original) : original;
  const path = blobPath(dir.path, sha, compression);
  mkdirSync(dirname(path), { recursive: true });
  await Bun.write(path, stored);
  return insertRow({
    originalName: name,
    sizeBytes: original.byteLength,
    storedSizeBytes: stored.byteLength,
    compression,
    sha256: sha,
    ...extra,
  });
}

function insertRow(values: Partial<FileRow> & Pick<FileRow, 'originalName' | 'sizeBytes' | 'sha256'>): FileRow {
  return store.db
    .insert(files)
    .values({
      id: `f_${++n}`,
      mimeType: 'application/octet-stream',
      extension: values.originalName.split('.').pop() ?? '',
      storedSizeBytes: values.sizeBytes,
      compression: 'none',
      createdAt: 0,
      ...values,
    })
    .returning()
    .get();
}

const reload = (id: string) => store.db.select().from(files).where(eq(files.id, id)).get()!;
const deliver = (file: FileRow, extra: Partial<DeliverFileInput> = {}) =>
  delivery.deliverFile({ chatId: chat, file, downloadUrl: async () => LINK, ...extra });
/** This test's calls of `method` (the chat id comes back a string from multipart, a number from JSON). */
const callsHere = (method: string) => fake.calls(method).filter((call) => String(call.params.chat_id) === String(chat));
const lastHere = (method: string) => {
  const found = callsHere(method).at(-1);
  if (!found) throw new Error(`no ${method} call to chat ${chat}`);
  return found;
};
const sentDocument = () => {
  const { response } = lastHere('sendDocument');
  if (!response.ok) throw new Error(`sendDocument failed: ${response.description}`);
  return (response.result as { document: { file_id: string; file_name: string; file_size: number } }).document;
};

describe('telegram delivery: files Telegram can carry (<= 50 MB)', () => {
  test('a file is uploaded with sendDocument as a stream, its file_id remembered, then reused without upload', async () => {
    const pdf = crypto.getRandomValues(new Uint8Array(300 * 1024));
    const row = await storeFile(pdf, 'Marketing 101.pdf', 'none');

    const first = await deliver(row, { title: 'Marketing 101' });
    expect(first.method).toBe('upload');
    const upload = lastHere('sendDocument');
    expect(upload.params).toMatchObject({ chat_id: String(chat), caption: '📘 Marketing 101' });
    expect(upload.files).toHaveLength(1);
    expect(upload.files[0]).toMatchObject({ filename: 'Marketing 101.pdf', size: pdf.byteLength, sha256: sha256(pdf) });
    const remembered = reload(row.id).telegramFileId;
    expect(remembered).toBe(sentDocument().file_id);
    expect(first.messageId).toBeGreaterThan(0);

    const second = await deliver(reload(row.id));
    expect(second.method).toBe('file_id');
    const resend = lastHere('sendDocument');
    expect(resend.params.document).toBe(remembered!);
    expect(resend.files).toEqual([]);
    expect(sentDocument().file_name).toBe('Marketing 101.pdf');
  });

  test('a gzip-stored file is decompressed on the way: Telegram holds the original bytes', async () => {
    const line = 'Lesson: compound interest, budgets and the habit of saving every month.\n';
    const text = new TextEncoder().encode(line.repeat(Math.ceil((2 * 1024 * 1024) / line.length)));
    const row = await storeFile(text, 'notes.txt', 'gzip');
    expect(row.storedSizeBytes).toBeLessThan(text.byteLength / 10);

    expect((await deliver(row)).method).toBe('upload');
    expect(lastHere('sendDocument').files[0]).toMatchObject({ size: text.byteLength, sha256: sha256(text) });

    // What a buyer downloads from Telegram is byte-identical to the seller's upload.
    const api = new Api(TOKEN, { apiRoot: fake.apiRoot });
    const { file_path } = await api.getFile(reload(row.id).telegramFileId!);
    const downloaded = new Uint8Array(
      await (await fetch(`${fake.apiRoot}/file/bot${TOKEN}/${file_path}`)).arrayBuffer(),
    );
    expect(sha256(downloaded)).toBe(sha256(text));
  });

  test('a cached file_id Telegram refuses is cleared and the file uploaded again', async () => {
    const bytes = crypto.getRandomValues(new Uint8Array(64 * 1024));
    const row = await storeFile(bytes, 'slides.pdf', 'none', { telegramFileId: 'BQACAgIAAxkBAAIexpired-id' });
    const result = await deliver(row);
    expect(result.method).toBe('upload');
    const [refused, uploaded] = callsHere('sendDocument');
    expect(refused).toMatchObject({ status: 400, params: { document: 'BQACAgIAAxkBAAIexpired-id' } });
    expect(refused!.response).toMatchObject({ description: 'Bad Request: wrong file identifier/HTTP URL specified' });
    expect(uploaded!.files[0]).toMatchObject({ sha256: sha256(bytes) });
    expect(reload(row.id).telegramFileId).toBe(sentDocument().file_id);
  });

  test('a stored blob that does not match its row aborts the upload; nothing is remembered', async () => {
    const row = await storeFile(new TextEncoder().encode('the real course'), 'course.txt', 'none');
    await Bun.write(blobPath(dir.path, row.sha256, 'none'), 'tampered bytes!');
    await expect(deliver(row)).rejects.toThrow(/does not match its size or sha256/);
    expect(callsHere('sendDocument').filter((c) => c.status === 200)).toEqual([]);
    expect(reload(row.id).telegramFileId).toBeNull();
  });

  test('a missing blob is a clear error, before anything is sent', async () => {
    const row = insertRow({ originalName: 'gone.pdf', sizeBytes: 1000, sha256: 'ab'.repeat(32) });
    await expect(deliver(row)).rejects.toThrow(`stored blob of file ${row.id} is missing`);
    expect(callsHere('sendDocument')).toEqual([]);
  });
});

describe('telegram delivery: files too large for Telegram (> 50 MB)', () => {
  test('a 60 MB file goes out as a message with the download link (no upload tried)', async () => {
    // Only the row: the size decides, so no 60 MB blob is needed on disk.
    const row = insertRow({
      originalName: 'Full video course.mp4',
      sizeBytes: 60 * 1024 * 1024,
      sha256: 'cd'.repeat(32),
    });
    let asked = 0;

    const result = await deliver(row, { downloadUrl: async () => (asked++, LINK) });
    expect(result.method).toBe('link');
    expect(asked).toBe(1);
    expect(callsHere('sendDocument')).toEqual([]);
    const message = lastHere('sendMessage');
    expect(message.status).toBe(200);
    expect(message.params).toMatchObject({ chat_id: chat, link_preview_options: { is_disabled: true } });
    const text = message.params.text as string;
    expect(text.split('\n')).toContain(LINK);
    expect(text).toContain('“Full video course.mp4” (60 MB)');
    expect(text).toStartWith('Your file');
  });

  test('the link message speaks French to a French buyer', async () => {
    const row = insertRow({
      originalName: 'Formation complète.mp4',
      sizeBytes: 75.5 * 1024 * 1024,
      sha256: 'ef'.repeat(32),
    });
    expect((await deliver(row, { language: 'fr' })).method).toBe('link');
    const text = lastHere('sendMessage').params.text as string;
    expect(text).toStartWith('Votre fichier « Formation complète.mp4 » (75,5 Mo)');
    expect(text.split('\n')).toContain(LINK);
  });

  test('an upload Telegram refuses as too large (413) falls back to the link', async () => {
    const row = await storeFile(crypto.getRandomValues(new Uint8Array(4096)), 'almost.pdf', 'none');
    fake.failNext('sendDocument', TelegramErrors.entityTooLarge());
    expect((await deliver(row)).method).toBe('link');
    expect(lastHere('sendMessage').params.text).toContain(LINK);
    expect(reload(row.id).telegramFileId).toBeNull();
  });
});

describe('telegram delivery: Telegram errors', () => {
  test('a buyer who blocked the bot -> BotBlockedError, a PermanentJobError, whatever the method', async () => {
    fake.blockUser(chat);
    const small = await storeFile(crypto.getRandomValues(new Uint8Array(1024)), 'a.pdf', 'none');
    const large = insertRow({ originalName: 'b.mp4', sizeBytes: 80 * 1024 * 1024, sha256: '12'.repeat(32) });
    for (const file of [small, large]) {
      const error = await deliver(file).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BotBlockedError);
      expect(error).toBeInstanceOf(PermanentJobError);
      expect(error).toMatchObject({ chatId: chat, description: 'Forbidden: bot was blocked by the user' });
    }
  });

  test('429 flood control surfaces as a GrammyError with error_code 429 and retry_after', async () => {
    const row = await storeFile(crypto.getRandomValues(new Uint8Array(1024)), 'c.pdf', 'none');
    fake.failNext('sendDocument', TelegramErrors.tooManyRequests(7));
    const error = await deliver(row).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GrammyError);
    expect(error).toMatchObject({ error_code: 429, parameters: { retry_after: 7 } });
    expect(error).not.toBeInstanceOf(PermanentJobError);
    expect(reload(row.id).telegramFileId).toBeNull();
  });

  test('a wrong bot token -> TelegramTokenError naming TELEGRAM_TOKEN, without the token', async () => {
    const wrongToken = '987654:not-the-token-telegram-knows';
    const api = new Api(wrongToken, { apiRoot: fake.apiRoot });
    const misconfigured = createTelegramDelivery({
      telegram: telegramClient(api),
      db: store.db,
      dataDir: dir.path,
      logger: silentLogger(),
    });
    const row = await storeFile(crypto.getRandomValues(new Uint8Array(1024)), 'd.pdf', 'none');

    const error = await misconfigured
      .deliverFile({ chatId: chat, file: row, downloadUrl: () => LINK })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TelegramTokenError);
    expect((error as Error).message).toBe('Telegram rejected the bot token (401 Unauthorized): check TELEGRAM_TOKEN');
    expect((error as Error).message).not.toContain(wrongToken);
    expect(error).not.toBeInstanceOf(PermanentJobError);
  });
});
