import { Database } from 'bun:sqlite';
import { describe, expect, test } from 'bun:test';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/bun-sqlite';
import { sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { preparedOnFirstUse } from '../../src/store/lazy-statement.ts';

const notes = sqliteTable('notes', { id: text('id').primaryKey(), body: text('body').notNull() });

function notesDb() {
  const sqlite = new Database(':memory:');
  sqlite.run('CREATE TABLE notes (id TEXT PRIMARY KEY, body TEXT NOT NULL)');
  return { sqlite, db: drizzle({ client: sqlite }) };
}

describe('preparedOnFirstUse', () => {
  test('prepares nothing until the first call, then once for every later call', () => {
    const { db } = notesDb();
    let builds = 0;
    const insert = preparedOnFirstUse(() => {
      builds++;
      return db
        .insert(notes)
        .values({ id: sql.placeholder('id'), body: sql.placeholder('body') })
        .prepare();
    });
    expect(builds).toBe(0);
    insert.run({ id: 'a', body: 'first' });
    insert.run({ id: 'b', body: 'second' });
    expect(builds).toBe(1);
  });

  test('answers as the prepared statement does: get, all, values and run', () => {
    const { db } = notesDb();
    const byId = preparedOnFirstUse(() =>
      db
        .select()
        .from(notes)
        .where(sql`${notes.id} = ${sql.placeholder('id')}`)
        .prepare(),
    );
    const all = preparedOnFirstUse(() => db.select({ body: notes.body }).from(notes).orderBy(notes.id).prepare());
    db.insert(notes)
      .values([
        { id: 'a', body: 'first' },
        { id: 'b', body: 'second' },
      ])
      .run();
    expect(byId.get({ id: 'b' })).toEqual({ id: 'b', body: 'second' });
    expect(byId.get({ id: 'z' })).toBeUndefined();
    expect(all.all()).toEqual([{ body: 'first' }, { body: 'second' }]);
    expect(all.values()).toEqual([['first'], ['second']]);
  });

  test('a statement whose SQL is wrong fails where it is used, and keeps failing there', () => {
    const { sqlite } = notesDb();
    const broken = preparedOnFirstUse(() => sqlite.prepare('SELECT * FROM missing'));
    expect(() => broken.all()).toThrow(/no such table/);
    expect(() => broken.all()).toThrow(/no such table/);
  });
});
