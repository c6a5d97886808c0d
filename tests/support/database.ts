/**
 * One migrated database per test process, kept as its bytes: a test app or test bot starts from a
 * copy of it instead of running every migration again (about 8 ms each time, a quarter of what
 * building a test bot cost). The migrations themselves are tested in tests/store.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { openStore, type Store } from '../../src/store/database.ts';
import { migrate } from '../../src/store/migrate.ts';

let image: Uint8Array | undefined;

function migratedImage(): Uint8Array {
  if (!image) {
    const store = openStore(':memory:');
    migrate(store.db);
    image = store.sqlite.serialize();
    store.close();
  }
  return image;
}

/** A migrated database in memory, for `createApp({ databasePath: ':memory:', store })`. */
export const migratedStore = (): Store => openStore(':memory:', { image: migratedImage() });

/** Writes a migrated database file at `path` (the app's DATA_DIR database), which the app then opens as it finds it. */
export function writeMigratedDatabase(path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, migratedImage());
}
