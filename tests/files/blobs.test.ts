/**
 * Content-addressed blobs on disk: an upload is moved into place once, a second copy of the same
 * bytes (in either form) is dropped, and removing a blob that is already gone is no error.
 */
import { afterEach, expect, test } from 'bun:test';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { placeBlob, removeBlob, sweepTemp } from '../../src/modules/files/blobs.ts';
import { blobPath, tempDir as uploadsTemp } from '../../src/modules/files/paths.ts';
import type { Received } from '../../src/modules/files/receive.ts';
import { tempDir } from '../support/env.ts';

const dirs: { cleanup(): void }[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.cleanup();
});

function dataDir(): string {
  const dir = tempDir('techbot-blobs-');
  dirs.push(dir);
  return dir.path;
}

let n = 0;
/** An upload finished in the temp directory, as receive() leaves it. */
function received(dir: string, bytes: string, compression: 'none' | 'gzip' = 'none'): Received {
  mkdirSync(uploadsTemp(dir), { recursive: true });
  const tempPath = join(uploadsTemp(dir), `upload-${++n}`);
  writeFileSync(tempPath, bytes);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return { tempPath, sha256, size: bytes.length, storedSize: bytes.length, compression, mime: 'application/pdf' };
}

test('the same bytes uploaded twice are stored once; removing the blob, twice, leaves nothing', async () => {
  const dir = dataDir();
  const first = received(dir, '%PDF-1.7 course');
  expect(await placeBlob(dir, first)).toEqual({ compression: 'none', storedSize: 15, created: true });
  const path = blobPath(dir, first.sha256, 'none');
  expect(await Bun.file(path).text()).toBe('%PDF-1.7 course');
  expect(existsSync(first.tempPath)).toBe(false);

  // Same content, arriving gzipped this time: the stored plain copy is reused, the upload dropped.
  const again = received(dir, '%PDF-1.7 course', 'gzip');
  expect(await placeBlob(dir, again)).toEqual({ compression: 'none', storedSize: 15, created: false });
  expect(existsSync(again.tempPath)).toBe(false);
  expect(existsSync(blobPath(dir, first.sha256, 'gzip'))).toBe(false);

  await removeBlob(dir, first.sha256, 'none');
  expect(existsSync(path)).toBe(false);
  // Already gone (a second cleanup, a crash between the two): no error.
  await removeBlob(dir, first.sha256, 'none');
});

test('sweeping the temp directory drops uploads cut short, and keeps stored blobs', async () => {
  const dir = dataDir();
  const stored = received(dir, 'kept');
  await placeBlob(dir, stored);
  const cut = received(dir, 'half an upl');
  sweepTemp(dir);
  expect(existsSync(cut.tempPath)).toBe(false);
  expect(existsSync(blobPath(dir, stored.sha256, 'none'))).toBe(true);
  // Nothing to sweep is fine too.
  sweepTemp(dir);
});
