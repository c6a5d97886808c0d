import type { Database } from 'bun:sqlite';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { blobPath } from '../../src/modules/files/paths.ts';

export interface CourseFile {
  id: string;
  sha256: string;
  size: number;
}

/**
 * Stores `bytes` as a course file the way the upload pipeline leaves one (a blob under
 * DATA_DIR/files named by its SHA-256, a `files` row) and makes it the product's file. Works on
 * the app's own connection or on a second one to a running child's database (WAL).
 */
export async function attachCourseFile(
  dataDir: string,
  sqlite: Database,
  productId: string,
  bytes: Uint8Array = crypto.getRandomValues(new Uint8Array(32 * 1024)),
  name = 'course.pdf',
): Promise<CourseFile> {
  const sha256 = new Bun.CryptoHasher('sha256').update(bytes).digest('hex');
  const path = blobPath(dataDir, sha256, 'none');
  mkdirSync(dirname(path), { recursive: true });
  await Bun.write(path, bytes);
  const id = `file-${sha256.slice(0, 12)}`;
  sqlite.run(
    `INSERT INTO files (id, original_name, mime_type, extension, size_bytes, stored_size_bytes, compression, sha256, created_at)
     VALUES (?, ?, 'application/pdf', 'pdf', ?, ?, 'none', ?, ?)`,
    [id, name, bytes.byteLength, bytes.byteLength, sha256, Date.now()],
  );
  sqlite.run('UPDATE products SET file_id = ? WHERE id = ?', [id, productId]);
  return { id, sha256, size: bytes.byteLength };
}

/** Polls `check` every 20 ms until it holds, or fails after `timeoutMs` saying what was awaited. */
export async function waitFor(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(20);
  }
}
