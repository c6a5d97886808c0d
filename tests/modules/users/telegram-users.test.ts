/**
 * Telegram users in the users module (src/modules/users/service.ts): created on first contact,
 * their names kept fresh, their row written at most once a minute while nothing else changes.
 */
import { describe, expect, test } from 'bun:test';
import { createUsers } from '../../../src/modules/users/service.ts';
import { migratedStore } from '../../support/database.ts';
import { fakeClock } from '../../support/env.ts';

function setup() {
  const store = migratedStore();
  const clock = fakeClock();
  const users = createUsers({ db: store.db, clock });
  const changes = () => (store.sqlite.query('SELECT total_changes() AS n').get() as { n: number }).n;
  return { store, clock, users, changes };
}

describe('telegram users', () => {
  test('first contact creates the user in the language Telegram gives; later contacts keep it', () => {
    const { store, users } = setup();
    const created = users.upsertTelegram({ telegramId: 42, firstName: 'Ada', username: 'ada', languageCode: 'fr-CA' });
    expect(created).toMatchObject({ telegramId: 42, firstName: 'Ada', username: 'ada', language: 'fr' });
    expect(users.upsertTelegram({ telegramId: 42, firstName: 'Ada', username: 'ada', languageCode: 'en' })).toEqual(
      created,
    );
    store.close();
  });

  test('updates within a minute write the row once; a new name is written at once; a minute later, last seen moves', () => {
    const { store, clock, users, changes } = setup();
    const first = users.upsertTelegram({ telegramId: 7, firstName: 'Bea', languageCode: 'en' });
    const before = changes();
    for (let i = 0; i < 5; i++) {
      clock.advance(10_000);
      expect(users.upsertTelegram({ telegramId: 7, firstName: 'Bea', languageCode: 'en' })).toEqual(first);
    }
    expect(changes()).toBe(before);

    const renamed = users.upsertTelegram({ telegramId: 7, firstName: 'Beatrice', username: 'bea', languageCode: 'en' });
    expect(renamed).toMatchObject({ firstName: 'Beatrice', username: 'bea', lastSeenAt: clock.now() });
    expect(changes()).toBe(before + 1);

    clock.advance(60_000);
    expect(users.upsertTelegram({ telegramId: 7, firstName: 'Beatrice', username: 'bea' }).lastSeenAt).toBe(
      clock.now(),
    );
    // Telegram sends no username when the user dropped theirs.
    expect(users.upsertTelegram({ telegramId: 7, firstName: 'Beatrice' }).username).toBeNull();
    store.close();
  });

  test('a bare Telegram id (an API purchase) keeps the names from the bot; one first known so takes its language from the bot', () => {
    const { store, clock, users } = setup();
    users.upsertTelegram({ telegramId: 9, firstName: 'Cyd', username: 'cyd', languageCode: 'en' });
    clock.advance(120_000);
    expect(users.upsertTelegram({ telegramId: 9 })).toMatchObject({ firstName: 'Cyd', username: 'cyd' });
    expect(users.authorNames([users.findByTelegramId(9)!.id]).get(users.findByTelegramId(9)!.id)).toBe('Cyd');
    // Unknown until then: created without names, signed "Buyer".
    const bare = users.upsertTelegram({ telegramId: 10 });
    expect(bare).toMatchObject({ firstName: null, username: null, language: 'en' });
    expect(users.authorNames([bare.id]).get(bare.id)).toBe('Buyer');
    // Their first contact with the bot brings their names and their language; later ones keep it.
    expect(users.upsertTelegram({ telegramId: 10, firstName: 'Dora', languageCode: 'fr' })).toMatchObject({
      firstName: 'Dora',
      language: 'fr',
    });
    clock.advance(120_000);
    expect(users.upsertTelegram({ telegramId: 10, firstName: 'Dora', languageCode: 'en' }).language).toBe('fr');
    store.close();
  });
});
