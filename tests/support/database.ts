/**
 * The migrated database the app writes at its first start (store/initial-database.ts): a test app
 * or test bot starts from a copy of it instead of running every migration again (about 8 ms each
 * time, a quarter of what building a test bot cost). tests/store checks it is what the
 * migrations make, and the migrations themselves.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { openStore, type Store } from '../../src/store/database.ts';
import { initialImage } from '../../src/store/initial-database.ts';

let image: Uint8Array | undefined;
let fileImage: Uint8Array | undefined;

function migratedImage(): Uint8Array {
  image ??= initialImage();
  return image;
}

/** A migrated database in memory, for `createApp({ databasePath: ':memory:', store })`. */
export const migratedStore = (): Store => openStore(':memory:', { image: migratedImage() });

/**
 * Writes a migrated database file at `path` (the app's DATA_DIR database), which the app then
 * opens as it finds it. The file is already in WAL mode, as the app leaves its database: bytes 18
 * and 19 of the header (the read and write versions) are 2 for WAL, 1 for a rollback journal.
 * Switching a rollback-journal file to WAL at open costs about 15 ms (a synced rewrite); an
 * in-memory image keeps 1, which `deserialize` needs.
 */
export function writeMigratedDatabase(path: string): void {
  if (!fileImage) {
    fileImage = Uint8Array.from(migratedImage());
    fileImage[18] = fileImage[19] = 2;
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, fileImage);
}
