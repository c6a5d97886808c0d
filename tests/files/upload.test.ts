/**
 * POST /api/upload on the whole app in process (and the upload rules):
 * validation, safe names, smart compression, deduplication, one-time upload links on a fake
 * clock, products carrying files, and the round trip through the downloads route.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { strToU8, zipSync } from 'fflate';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { blobPath } from '../../src/modules/files/paths.ts';
import { ADMIN_KEY, fakeClock, startTestApp, type TestApp } from '../support/app.ts';
import { filesUnder, generatedText, hashBlob } from '../support/upload.ts';

type Uploaded = {
  file_id: string;
  name: string;
  size_bytes: number;
  stored_size_bytes: number;
  sha256: string;
  type: string;
  extension: string;
  compression: 'none' | 'gzip';
};
type ErrorBody = { error: { code: string; message: string; details: unknown } };

const HOUR = 3600_000;
const sha256 = (data: Uint8Array | string) => new Bun.CryptoHasher('sha256').update(data).digest('hex');
const ELF = new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, ...new Array(120).fill(0)]);
const lessons = (n: number, topic = 'wallets') =>
  Array.from({ length: n }, (_, i) => `Lesson ${i + 1}: ${topic}, fees and self-custody, step ${i * 7}.\n`).join('');

let running: TestApp;
const clock = fakeClock();
let dataDir: string;
let ada: { key: string; sellerId: number };
let bob: { key: string; sellerId: number };

function upload(
  filename: string,
  body: Bun.BodyInit,
  auth: Record<string, string> = { authorization: `Bearer ${ada.key}` },
) {
  return fetch(`${running.url}/api/upload?filename=${encodeURIComponent(filename)}`, {
    method: 'POST',
    body,
    headers: auth,
  });
}

async function uploaded(response: Response): Promise<Uploaded> {
  if (response.status !== 201) throw new Error(`upload: ${response.status} ${await response.text()}`);
  return (await response.json()) as Uploaded;
}

async function refused(response: Response, status: number, code: string): Promise<ErrorBody['error']> {
  const body = (await response.json()) as ErrorBody;
  expect({ status: response.status, code: body.error.code }).toEqual({ status, code });
  expect(response.headers.get('content-type')).toContain('application/json');
  return body.error;
}

/** Blobs under DATA_DIR/files, and what is left in its temp folder. */
const blobs = () => filesUnder(join(dataDir, 'files')).filter((path) => !path.startsWith('tmp/'));
const leftovers = () => filesUnder(join(dataDir, 'files')).filter((path) => path.startsWith('tmp/'));
const rows = (sha: string) =>
  running.app.store.sqlite.query('SELECT id, owner_seller_id FROM files WHERE sha256 = ?').all(sha);

beforeAll(async () => {
  running = await startTestApp({ clock, publicUrl: true });
  dataDir = running.app.store.sqlite.filename.replace(/[/\\]techbot\.db$/, '');
  ada = await running.sellerKey('Ada Academy');
  bob = await running.sellerKey('Bob Courses');
});
afterAll(() => running.stop());

describe('POST /api/upload', () => {
  test('a .pdf holding an ELF binary is refused with 415, and nothing is kept', async () => {
    const before = blobs();
    const error = await refused(await upload('course.pdf', ELF), 415, 'unsupported_media_type');
    expect(error.message).toContain('ELF executable');
    expect(blobs()).toEqual(before);
    expect(leftovers()).toEqual([]);
  });

  test('`../../etc/passwd` is stored under a safe name, inside DATA_DIR/files', async () => {
    const content = 'root:x:0:0:root:/root:/bin/bash\n';
    const file = await uploaded(await upload('../../etc/passwd.txt', content));
    expect(file.name).toBe('etc_passwd.txt');
    expect(blobs()).toContain(`${file.sha256.slice(0, 2)}/${file.sha256}`);
    expect(existsSync(join(dataDir, '..', 'etc'))).toBe(false);
    const row = running.app.store.sqlite.query('SELECT original_name FROM files WHERE id = ?').get(file.file_id);
    expect(row).toEqual({ original_name: 'etc_passwd.txt' });
  });

  test('a .zip is stored as it is; a .txt is stored gzipped and smaller, both hashed over the original bytes', async () => {
    const zip = zipSync({ 'lesson.txt': strToU8(lessons(500)) });
    const zipped = await uploaded(await upload('exercises.zip', zip));
    expect(zipped).toMatchObject({
      compression: 'none',
      size_bytes: zip.length,
      stored_size_bytes: zip.length,
      type: 'application/zip',
    });
    expect(zipped.sha256).toBe(sha256(zip));
    expect(await hashBlob(blobPath(dataDir, zipped.sha256, 'none'), 'none')).toEqual({
      sha256: sha256(zip),
      size: zip.length,
    });

    const text = lessons(5000, 'keys');
    const notes = await uploaded(await upload('notes.txt', text));
    expect(notes).toMatchObject({ compression: 'gzip', extension: 'txt', type: 'text/plain; charset=utf-8' });
    expect(notes.size_bytes).toBe(Buffer.byteLength(text));
    expect(notes.stored_size_bytes).toBeLessThan(notes.size_bytes / 3);
    expect(Bun.file(blobPath(dataDir, notes.sha256, 'gzip')).size).toBe(notes.stored_size_bytes);
    expect(await hashBlob(blobPath(dataDir, notes.sha256, 'gzip'), 'gzip')).toEqual({
      sha256: sha256(text),
      size: notes.size_bytes,
    });
  });

  test('uploads gzipped side by side each keep their own bytes', async () => {
    // Each is several MiB: the worker takes turns between them, a slice at a time.
    const texts = ['alpha', 'beta', 'gamma'].map((key) => lessons(60_000, key));
    const files = await Promise.all(texts.map(async (text, i) => uploaded(await upload(`part-${i}.txt`, text))));
    for (const [i, file] of files.entries()) {
      expect(file).toMatchObject({
        compression: 'gzip',
        size_bytes: Buffer.byteLength(texts[i]!),
        sha256: sha256(texts[i]!),
      });
      expect(await hashBlob(blobPath(dataDir, file.sha256, 'gzip'), 'gzip')).toEqual({
        sha256: sha256(texts[i]!),
        size: file.size_bytes,
      });
    }
    expect(leftovers()).toEqual([]);
    // Several MiB gzipped three at a time: seconds on a busy 2-core machine.
  }, 30_000);

  test('content that does not compress is stored as it is, whatever its format', async () => {
    const noise = crypto.getRandomValues(new Uint8Array(200_000));
    const pdf = new Uint8Array([...new TextEncoder().encode('%PDF-1.5\n'), ...noise]);
    const file = await uploaded(await upload('scan.pdf', pdf));
    expect(file).toMatchObject({ compression: 'none', stored_size_bytes: pdf.length, type: 'application/pdf' });
  });

  test('the same content uploaded twice is stored once, with a row per upload', async () => {
    const text = lessons(3000, 'twice');
    const first = await uploaded(await upload('first.md', text));
    const second = await uploaded(await upload('second.md', text, { authorization: `Bearer ${bob.key}` }));
    expect(second.sha256).toBe(first.sha256);
    expect(second.file_id).not.toBe(first.file_id);
    expect(blobs().filter((path) => path.includes(first.sha256))).toEqual([
      `${first.sha256.slice(0, 2)}/${first.sha256}.gz`,
    ]);
    expect(rows(first.sha256)).toEqual(
      expect.arrayContaining([
        { id: first.file_id, owner_seller_id: ada.sellerId },
        { id: second.file_id, owner_seller_id: bob.sellerId },
      ]),
    );
    expect(second.stored_size_bytes).toBe(first.stored_size_bytes);
  });

  test('a streamed body is read chunk by chunk (no Content-Length)', async () => {
    const generated = generatedText(3 * 1024 * 1024, 100_000);
    const file = await uploaded(await upload('streamed.txt', generated.stream));
    expect(file).toMatchObject({ size_bytes: 3 * 1024 * 1024, sha256: generated.sha256(), compression: 'gzip' });
  });

  test('credentials: a seller or admin key, else 401', async () => {
    const admin = await uploaded(
      await upload('admin.txt', 'from the operator\n', { authorization: `Bearer ${ADMIN_KEY}` }),
    );
    expect(rows(admin.sha256)).toEqual([{ id: admin.file_id, owner_seller_id: null }]);
    await refused(await upload('x.txt', 'hello', {}), 401, 'unauthorized');
    await refused(await upload('x.txt', 'hello', { authorization: 'Bearer tbk_NOPE_nope' }), 401, 'unauthorized');
  });

  test('empty files, names without a usable extension and scripts are refused before anything is stored', async () => {
    await refused(await upload('empty.txt', ''), 400, 'bad_request');
    expect((await refused(await upload('install.sh', '#!/bin/sh\n'), 415, 'unsupported_media_type')).message).toContain(
      '.sh',
    );
    await refused(await upload('notes', 'hello'), 415, 'unsupported_media_type');
    await refused(
      await fetch(`${running.url}/api/upload`, {
        method: 'POST',
        body: 'x',
        headers: { authorization: `Bearer ${ada.key}` },
      }),
      422,
      'validation_failed',
    );
    expect(leftovers()).toEqual([]);
  });

  test('uploads are counted on /metrics by outcome, with bytes and the compression ratio', async () => {
    const text = await (await fetch(`${running.url}/metrics`)).text();
    expect(text).toMatch(/^file_uploads_total\{outcome="ok"\} [1-9]\d*$/m);
    expect(text).toMatch(/^file_uploads_total\{outcome="bad_type"\} [1-9]\d*$/m);
    expect(text).toMatch(/^file_uploads_total\{outcome="too_large"\} 0$/m);
    expect(text).toMatch(/^file_bytes_received_total [1-9]\d*$/m);
    expect(text).toMatch(/^file_bytes_stored_total [1-9]\d*$/m);
    expect(text).toMatch(/^file_bytes_served_total \d+$/m);
    expect(text).toMatch(/^file_compression_ratio_bucket\{le="0.3"\} [1-9]\d*$/m);
  });
});

describe('one-time upload links', () => {
  test('a link works once, with the token in a header or the query', async () => {
    const link = running.app.files.createUploadLink(ada.sellerId);
    expect(link.url).toBe(`${running.url}/upload/${link.token}`);
    expect(link.expiresAt).toBe(clock.now() + HOUR);
    const file = await uploaded(
      await upload('via-link.txt', 'uploaded from a phone\n', { 'x-upload-token': link.token }),
    );
    expect(rows(file.sha256)).toEqual([{ id: file.file_id, owner_seller_id: ada.sellerId }]);
    const again = await refused(
      await upload('again.txt', 'second try\n', { 'x-upload-token': link.token }),
      410,
      'gone',
    );
    expect(again.message).toContain('already used');

    const other = running.app.files.createUploadLink(bob.sellerId);
    const viaQuery = await fetch(`${running.url}/api/upload?filename=q.txt&token=${other.token}`, {
      method: 'POST',
      body: 'by query\n',
    });
    expect((await uploaded(viaQuery)).name).toBe('q.txt');
  });

  test('a failed upload does not use the link up', async () => {
    const link = running.app.files.createUploadLink(ada.sellerId);
    await refused(await upload('course.pdf', ELF, { 'x-upload-token': link.token }), 415, 'unsupported_media_type');
    await uploaded(await upload('course.txt', 'the real course\n', { 'x-upload-token': link.token }));
  });

  test('a link expires after one hour; an unknown token is refused', async () => {
    const link = running.app.files.createUploadLink(ada.sellerId);
    clock.advance(HOUR - 1);
    expect(running.app.files.checkUploadLink(link.token)).toEqual({
      sellerId: ada.sellerId,
      expiresAt: link.expiresAt,
    });
    clock.advance(1);
    expect(
      (await refused(await upload('late.txt', 'too late\n', { 'x-upload-token': link.token }), 410, 'gone')).message,
    ).toContain('expired');
    await refused(await upload('x.txt', 'hello\n', { 'x-upload-token': 'NOTATOKEN' }), 401, 'unauthorized');
    expect(() => running.app.files.createUploadLink(999_999)).toThrow(expect.objectContaining({ code: 'not_found' }));
  });

  test('only the SHA-256 of a token is stored', async () => {
    const link = running.app.files.createUploadLink(bob.sellerId);
    const stored = running.app.store.sqlite.query('SELECT token_hash FROM upload_tokens').all() as {
      token_hash: string;
    }[];
    expect(stored.map((r) => r.token_hash)).toContain(sha256(link.token));
    expect(JSON.stringify(stored)).not.toContain(link.token);
  });
});

describe('products carry files', () => {
  const course = {
    title: 'Keys and wallets',
    description: 'Everything about keys, with exercises.',
    price_cents: 2900,
    category: 'business',
  };

  test("a seller attaches its own file, never another seller's", async () => {
    const adas = await uploaded(await upload('keys.txt', lessons(50, 'keys')));
    const bobs = await uploaded(await upload('bob.txt', lessons(50, 'bob'), { authorization: `Bearer ${bob.key}` }));
    const created = await running.call('POST', '/api/products', {
      key: ada.key,
      body: { ...course, file_id: adas.file_id },
    });
    expect(created.status).toBe(201);
    const product = (await created.json()) as { id: string; file: unknown };
    expect(product.file).toEqual({ type: 'text/plain; charset=utf-8', size_bytes: adas.size_bytes, name: 'keys.txt' });

    const stolen = await running.call('POST', '/api/products', {
      key: ada.key,
      body: { ...course, file_id: bobs.file_id },
    });
    await refused(stolen, 403, 'forbidden');
    await refused(
      await running.call('PATCH', `/api/products/${product.id}`, { key: ada.key, body: { file_id: bobs.file_id } }),
      403,
      'forbidden',
    );
    await refused(
      await running.call('PATCH', `/api/products/${product.id}`, { key: ada.key, body: { file_id: 'NOSUCHFILE' } }),
      404,
      'not_found',
    );
    const byAdmin = await running.call('PATCH', `/api/products/${product.id}`, {
      key: ADMIN_KEY,
      body: { file_id: bobs.file_id },
    });
    expect(((await byAdmin.json()) as { file: { name: string } }).file.name).toBe('bob.txt');
  });

  test('upload -> product -> purchase -> download gives back the same bytes', async () => {
    const text = lessons(20_000, 'round trip');
    const file = await uploaded(await upload('Cours – été.txt', text));
    expect(file.compression).toBe('gzip');
    const created = await running.call('POST', '/api/products', {
      key: ada.key,
      body: { ...course, file_id: file.file_id },
    });
    const product = (await created.json()) as { id: string };
    const { app } = running;
    const buyer = app.users.upsertTelegram({ telegramId: 777, firstName: 'Bea', languageCode: 'fr' });
    const { order } = app.orders.create({ buyerId: buyer.id, productId: product.id, method: 'crypto' });
    app.orders.transition(order.id, { to: 'paid', actor: 'test' });
    const response = await fetch(app.downloads.createDownloadLink(buyer.id, product.id).url);
    expect(response.status).toBe(200);
    expect(sha256(new Uint8Array(await response.arrayBuffer()))).toBe(file.sha256);
  });
});

describe('settings: MAX_FILE_SIZE_MB=1, COMPRESSION_LEVEL=0', () => {
  let small: TestApp;
  beforeAll(async () => {
    small = await startTestApp({ env: { MAX_FILE_SIZE_MB: '1', COMPRESSION_LEVEL: '0' } });
  });
  afterAll(() => small.stop());

  const post = (path: string, body: Bun.BodyInit, headers: Record<string, string> = {}) =>
    fetch(`${small.url}${path}`, {
      method: 'POST',
      body,
      headers: { authorization: `Bearer ${ADMIN_KEY}`, ...headers },
    });
  const smallLeftovers = () =>
    filesUnder(join(small.app.store.sqlite.filename.replace(/[/\\]techbot\.db$/, ''), 'files'));

  test('past MAX_FILE_SIZE_MB a streamed upload is cut off with a JSON 413, leaving nothing', async () => {
    const generated = generatedText(3 * 1024 * 1024, 64 * 1024);
    const error = await refused(await post('/api/upload?filename=big.txt', generated.stream), 413, 'payload_too_large');
    expect(error.message).toBe('files are limited to 1 MB');
    expect(smallLeftovers()).toEqual([]);
  });

  test('a declared Content-Length over the limit is refused before reading', async () => {
    const body = new Uint8Array(2 * 1024 * 1024);
    await refused(await post('/api/upload?filename=big.txt', body), 413, 'payload_too_large');
    expect(smallLeftovers()).toEqual([]);
  });

  test('level 0 stores even compressible text as it is', async () => {
    const text = lessons(2000);
    const response = await post('/api/upload?filename=notes.txt', text);
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ compression: 'none', stored_size_bytes: Buffer.byteLength(text) });
  });

  test('JSON routes refuse large or chunked bodies before reading them', async () => {
    const big = JSON.stringify({ title: 'x'.repeat(2 * 1024 * 1024) });
    await refused(await post('/api/products', big, { 'content-type': 'application/json' }), 413, 'payload_too_large');
    const chunked = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{}'));
        controller.close();
      },
    });
    await refused(await post('/api/products', chunked, { 'content-type': 'application/json' }), 411, 'length_required');
  });
});
