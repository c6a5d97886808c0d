import { rmSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { blobPath, tempDir } from './paths.ts';
import type { Received } from './receive.ts';

export interface Placed {
  compression: 'none' | 'gzip';
  storedSize: number;
  /** False when an identical blob was already there and the upload's copy was dropped. */
  created: boolean;
}

/**
 * Moves a finished upload to its content-addressed place (an atomic rename). When the same
 * content is already stored, in either form, the new copy is dropped and the blob reused.
 */
export async function placeBlob(dataDir: string, received: Received): Promise<Placed> {
  const other = received.compression === 'gzip' ? 'none' : 'gzip';
  for (const compression of [received.compression, other] as const) {
    const existing = Bun.file(blobPath(dataDir, received.sha256, compression));
    if (await existing.exists()) {
      await rm(received.tempPath, { force: true });
      return { compression, storedSize: existing.size, created: false };
    }
  }
  const target = blobPath(dataDir, received.sha256, received.compression);
  await mkdir(dirname(target), { recursive: true });
  await rename(received.tempPath, target);
  return { compression: received.compression, storedSize: received.storedSize, created: true };
}

export const removeBlob = (dataDir: string, sha256: string, compression: 'none' | 'gzip') =>
  rm(blobPath(dataDir, sha256, compression), { force: true });

/** Temp files of uploads cut short by a crash or a kill: nothing can resume them. */
export const sweepTemp = (dataDir: string) => rmSync(tempDir(dataDir), { recursive: true, force: true });
