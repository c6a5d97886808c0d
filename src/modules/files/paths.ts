import { join } from 'node:path';

/**
 * Where file content lives under DATA_DIR: one blob per SHA-256 of the original bytes
 * (content-addressed: the same file uploaded twice is stored once), `.gz` when stored
 * compressed. Uploads in progress are written under `tmp/` and renamed into place.
 */
export const filesRoot = (dataDir: string) => join(dataDir, 'files');
export const tempDir = (dataDir: string) => join(filesRoot(dataDir), 'tmp');

export function blobPath(dataDir: string, sha256: string, compression: 'none' | 'gzip'): string {
  return join(filesRoot(dataDir), sha256.slice(0, 2), `${sha256}${compression === 'gzip' ? '.gz' : ''}`);
}
