/**
 * A course's cover photo over HTTP: PUT /api/seller/courses/{id}/cover with the raw image (its
 * seller or an admin), DELETE it, and the public GET /api/products/{id}/cover serving the bytes.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ADMIN_KEY, fakeClock, startTestApp, type TestApp } from '../support/app.ts';

let h: TestApp;
beforeAll(async () => {
  h = await startTestApp({ clock: fakeClock() });
});
afterAll(() => h.stop());

/** A JPEG and a PNG as their magic bytes announce them (enough for the check; Telegram is faked). */
export const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, ...Array.from({ length: 3000 }, (_, i) => i % 251)]);
export const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Array(500).fill(3)]);
const sha256 = (bytes: Uint8Array) => new Bun.CryptoHasher('sha256').update(bytes).digest('hex');

const put = (id: string, body: Uint8Array | string, type: string | null, key?: string) =>
  fetch(`${h.url}/api/seller/courses/${id}/cover`, {
    method: 'PUT',
    headers: { ...(type ? { 'content-type': type } : {}), ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body,
  });
const cover = (id: string, headers: Record<string, string> = {}) =>
  fetch(`${h.url}/api/products/${id}/cover`, { headers });
const errorOf = async (response: Response) => ((await response.json()) as { error: { code: string } }).error;
const blob = (hash: string) => join(h.dataDir, 'covers', hash.slice(0, 2), hash);

test('set, get, replace, delete: the bytes served with their type, an ETag and a cache header', async () => {
  const { key } = await h.sellerKey('Cover Maker');
  const course = await h.product({ seller: 'Cover Maker', title: 'A course with a cover' });
  expect((await cover(course.id)).status).toBe(404);

  const set = await put(course.id, JPEG, 'image/jpeg', key);
  expect(set.status).toBe(200);
  expect(await set.json()).toEqual({
    url: `/api/products/${course.id}/cover`,
    content_type: 'image/jpeg',
    size_bytes: JPEG.byteLength,
    sha256: sha256(JPEG),
  });
  const got = await cover(course.id.toLowerCase());
  expect(got.status).toBe(200);
  expect(got.headers.get('content-type')).toBe('image/jpeg');
  expect(got.headers.get('cache-control')).toBe('public, max-age=300');
  expect(got.headers.get('etag')).toBe(`"${sha256(JPEG)}"`);
  expect(new Uint8Array(await got.arrayBuffer())).toEqual(JPEG);
  expect((await cover(course.id, { 'if-none-match': `"${sha256(JPEG)}"` })).status).toBe(304);

  // Replaced by a PNG: served as a PNG; the JPEG no product uses any more is removed.
  expect((await put(course.id, PNG, 'image/png', key)).status).toBe(200);
  const replaced = await cover(course.id);
  expect(replaced.headers.get('content-type')).toBe('image/png');
  expect(new Uint8Array(await replaced.arrayBuffer())).toEqual(PNG);
  expect(existsSync(blob(sha256(JPEG)))).toBe(false);
  expect(existsSync(blob(sha256(PNG)))).toBe(true);

  // An admin may set it too, like PATCH /api/products.
  expect((await put(course.id, JPEG, 'image/jpeg', ADMIN_KEY)).status).toBe(200);
  const deleted = await fetch(`${h.url}/api/seller/courses/${course.id}/cover`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${key}` },
  });
  expect(deleted.status).toBe(204);
  expect((await cover(course.id)).status).toBe(404);
  expect(existsSync(blob(sha256(JPEG)))).toBe(false);
});

test('two courses with the same picture share one blob, kept while one still uses it', async () => {
  const { key } = await h.sellerKey('Twin Covers');
  const first = await h.product({ seller: 'Twin Covers' });
  const second = await h.product({ seller: 'Twin Covers' });
  const picture = Uint8Array.from([...PNG, 9, 9, 9]);
  expect((await put(first.id, picture, 'image/png', key)).status).toBe(200);
  expect((await put(second.id, picture, 'image/png', key)).status).toBe(200);
  expect((await put(first.id, JPEG, 'image/jpeg', key)).status).toBe(200);
  expect(new Uint8Array(await (await cover(second.id)).arrayBuffer())).toEqual(picture);
});

test('refusals, each with the error shape', async () => {
  const { key } = await h.sellerKey('Cover Refused');
  const course = await h.product({ seller: 'Cover Refused' });
  const { key: other } = await h.sellerKey('Cover Thief');

  // Another type, a lying header, no header: 415.
  const gif = new TextEncoder().encode('GIF89a.....');
  for (const [body, type] of [
    [gif, 'image/gif'],
    [gif, 'image/jpeg'],
    [PNG, 'image/jpeg'],
    [JPEG, null],
    [new Uint8Array(0), 'image/png'],
  ] as const) {
    const response = await put(course.id, body, type, key);
    expect({ type, status: response.status, code: (await errorOf(response)).code }).toEqual({
      type,
      status: 415,
      code: 'unsupported_media_type',
    });
  }
  // Past 5 MB: 413, before the body is read.
  const big = new Uint8Array(5 * 1024 * 1024 + 1);
  big.set([0xff, 0xd8, 0xff]);
  const tooBig = await put(course.id, big, 'image/jpeg', key);
  expect(tooBig.status).toBe(413);
  expect((await errorOf(tooBig)).code).toBe('payload_too_large');
  // Exactly 5 MB is accepted.
  expect((await put(course.id, big.subarray(0, 5 * 1024 * 1024), 'image/jpeg', key)).status).toBe(200);

  const stolen = await put(course.id, JPEG, 'image/jpeg', other);
  expect(stolen.status).toBe(403);
  expect((await errorOf(stolen)).code).toBe('forbidden');
  expect((await put('TBF-2601-ZZZZZZ', JPEG, 'image/jpeg', key)).status).toBe(404);
  expect((await put(course.id, JPEG, 'image/jpeg')).status).toBe(401);
  const removeOther = await fetch(`${h.url}/api/seller/courses/${course.id}/cover`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${other}` },
  });
  expect(removeOther.status).toBe(403);

  // A deleted course: 404 to set, and its cover is no longer served.
  await h.call('DELETE', `/api/seller/courses/${course.id}`, { key });
  const gone = await put(course.id, JPEG, 'image/jpeg', key);
  expect(gone.status).toBe(404);
  expect((await errorOf(gone)).code).toBe('not_found');
  expect((await cover(course.id)).status).toBe(404);
});

test('a course off sale: its cover is not served publicly', async () => {
  const { key } = await h.sellerKey('Cover Off Sale');
  const course = await h.product({ seller: 'Cover Off Sale' });
  expect((await put(course.id, JPEG, 'image/jpeg', key)).status).toBe(200);
  await h.removeProduct(course.id);
  const response = await cover(course.id);
  expect(response.status).toBe(404);
  expect((await errorOf(response)).code).toBe('not_found');
});

test('a course the operator took down: its seller can no longer change its cover; an admin can', async () => {
  const { key } = await h.sellerKey('Cover Taken Down');
  const course = await h.product({ seller: 'Cover Taken Down' });
  expect((await put(course.id, JPEG, 'image/jpeg', key)).status).toBe(200);
  const banned = await h.call('PATCH', `/api/products/${course.id}`, { key: ADMIN_KEY, body: { status: 'banned' } });
  expect(banned.status).toBe(200);
  for (const response of [
    await put(course.id, PNG, 'image/png', key),
    await fetch(`${h.url}/api/seller/courses/${course.id}/cover`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${key}` },
    }),
  ]) {
    expect(response.status).toBe(403);
    expect(await errorOf(response)).toMatchObject({
      code: 'forbidden',
      message: 'this product was banned by an administrator',
    });
  }
  expect((await put(course.id, PNG, 'image/png', ADMIN_KEY)).status).toBe(200);
});
