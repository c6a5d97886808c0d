/**
 * The read-only second connection (the catalog reader thread's): it sees each commit of the
 * writing connection, and refuses to write.
 */
import { afterEach, expect, test } from 'bun:test';
import { join } from 'node:path';
import { openReader, openStore } from '../../src/store/database.ts';
import { migrate } from '../../src/store/migrate.ts';
import { categories } from '../../src/store/schema/index.ts';
import { tempDir } from '../support/env.ts';

const dirs: { cleanup(): void }[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.cleanup();
});

test('a reader sees what the writer committed and cannot write itself', () => {
  const dir = tempDir();
  dirs.push(dir);
  const path = join(dir.path, 'techbot.db');
  const store = openStore(path);
  migrate(store.db);
  const reader = openReader(path);
  try {
    const count = () => reader.select().from(categories).all().length;
    const before = count();
    store.sqlite.run(
      "INSERT INTO categories (slug, name_en, name_fr, emoji, position) VALUES ('cooking', 'Cooking', 'Cuisine', '🍳', 99)",
    );
    expect(count()).toBe(before + 1);
    expect(() =>
      reader
        .insert(categories)
        .values({ slug: 'gardening', nameEn: 'Gardening', nameFr: 'Jardinage', emoji: '🌱', position: 100 })
        .run(),
    ).toThrow(/readonly/);
  } finally {
    reader.$client.close();
    store.close();
  }
});
