/**
 * The bot's session store (src/store/bot-sessions.ts): JSON rows per key, and no write when an
 * update leaves a value as it read it.
 */
import { describe, expect, test } from 'bun:test';
import { botSessionStore } from '../../src/store/bot-sessions.ts';
import { migratedStore } from '../support/database.ts';
import { fakeClock } from '../support/env.ts';

function setup() {
  const store = migratedStore();
  const clock = fakeClock();
  const sessions = botSessionStore<Record<string, unknown>>(store.db, clock);
  const row = (key: string) =>
    store.sqlite.query('SELECT value, updated_at AS updatedAt FROM bot_sessions WHERE key = ?').get(key) as {
      value: string;
      updatedAt: number;
    } | null;
  const changes = () => (store.sqlite.query('SELECT total_changes() AS n').get() as { n: number }).n;
  return { store, clock, sessions, row, changes };
}

describe('bot sessions', () => {
  test('a value is written as JSON and read back; a corrupt row reads as none', () => {
    const { store, sessions, row } = setup();
    sessions.write('42', { search: 'rust', list: { key: 'k', cursors: [''] } });
    expect(JSON.parse(row('42')!.value)).toEqual({ search: 'rust', list: { key: 'k', cursors: [''] } });
    expect(sessions.read('42')).toEqual({ search: 'rust', list: { key: 'k', cursors: [''] } });
    store.sqlite.run("UPDATE bot_sessions SET value = '{broken' WHERE key = '42'");
    expect(sessions.read('42')).toBeUndefined();
    sessions.write('42', {});
    expect(row('42')!.value).toBe('{}');
    store.close();
  });

  test('an update that leaves the value as it read it writes nothing; one that changes it writes', () => {
    const { store, clock, sessions, row, changes } = setup();
    sessions.write('7', { search: 'go' });
    const writtenAt = row('7')!.updatedAt;
    clock.advance(60_000);
    const before = changes();
    sessions.write('7', { ...sessions.read('7') });
    expect(changes()).toBe(before);
    expect(row('7')!.updatedAt).toBe(writtenAt);

    sessions.write('7', { ...sessions.read('7'), search: 'rust' });
    expect(changes()).toBe(before + 1);
    expect(row('7')).toEqual({ value: '{"search":"rust"}', updatedAt: writtenAt + 60_000 });
    store.close();
  });

  test('only a read of the same update counts: a write without one always writes', () => {
    const { store, sessions, row } = setup();
    sessions.write('9', { search: 'a' });
    sessions.write('9', { ...sessions.read('9') });
    // Another process changes the row; this one writes again without reading first.
    store.sqlite.run(`UPDATE bot_sessions SET value = '{"search":"b"}' WHERE key = '9'`);
    sessions.write('9', { search: 'a' });
    expect(row('9')!.value).toBe('{"search":"a"}');
    store.close();
  });

  test('delete removes the row; after a read that found none, there is nothing to delete', () => {
    const { store, sessions, row } = setup();
    sessions.write('conv:5', { x: 1 });
    expect(sessions.read('conv:5')).toEqual({ x: 1 });
    sessions.delete('conv:5');
    expect(row('conv:5')).toBeNull();
    expect(sessions.read('conv:5')).toBeUndefined();
    sessions.delete('conv:5');
    expect(row('conv:5')).toBeNull();
    // A delete without a read of the same update deletes whatever is there.
    sessions.write('conv:5', { y: 2 });
    sessions.delete('conv:5');
    expect(row('conv:5')).toBeNull();
    store.close();
  });
});
