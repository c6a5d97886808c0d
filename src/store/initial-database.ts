import { closeSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { imageGzipBase64, imageMigrations } from './initial-image.gen.ts';

/** The migrated database's bytes, as `Database.deserialize` takes them (rollback-journal header). */
export function initialImage(): Uint8Array {
  return Bun.gunzipSync(Buffer.from(imageGzipBase64, 'base64'));
}

/**
 * The first start of an install writes its database from the image of every migration applied
 * (`bun run db:generate` makes it), instead of running them: creating the schema costs 20-27 ms
 * of a 110 ms cold start of the binary on the 2-core VM, writing 350 kB costs ~2 ms. Nothing is
 * done when the file exists (`migrate` then applies what it lacks, as on every start), nor next to
 * a write-ahead log left without its database, which SQLite would replay into any new file.
 *
 * The file is written aside, synced, then linked to its name, which fails if another process
 * starting on the same volume got there first: one creates it, the others open that one. Bytes
 * 18 and 19 of the header (read and write versions) say WAL, as the store leaves its database,
 * so the first open does not rewrite it to switch.
 *
 * Returns the migrations the new file holds, [] when it already existed.
 */
export function createFromImage(path: string): string[] {
  if (existsSync(path) || existsSync(`${path}-wal`)) return [];
  mkdirSync(dirname(path), { recursive: true });
  const image = initialImage();
  image[18] = image[19] = 2;
  const aside = `${path}.${process.pid}.new`;
  const fd = openSync(aside, 'w');
  try {
    for (let at = 0; at < image.byteLength; ) at += writeSync(fd, image, at);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(aside, path);
    return imageMigrations;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return [];
    throw error;
  } finally {
    rmSync(aside, { force: true });
  }
}
