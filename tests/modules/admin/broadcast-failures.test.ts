/**
 * A broadcast whose sends and progress edits throw (a network error, not a Telegram answer):
 * each recipient is marked failed, the batch goes on, and the report says so. Telling a user
 * (refunds, bans...) is best effort alike.
 */
import { expect, test } from 'bun:test';
import { tell } from '../../../src/modules/admin/ports.ts';
import { createApp } from '../../../src/app.ts';
import { createLogger } from '../../../src/lib/logger.ts';
import { fakeClock } from '../../support/app.ts';
import { tempDir, testConfig } from '../../support/env.ts';

test('sends and progress edits that throw: recipients marked failed, the broadcast finishes', async () => {
  const clock = fakeClock();
  const config = testConfig(tempDir('techbot-broadcast-').path, {});
  const app = createApp({ config, logger: createLogger({ level: 'fatal' }), clock, databasePath: ':memory:' });
  for (const telegramId of [101, 102, 103]) app.users.upsertTelegram({ telegramId, languageCode: 'en' });
  const down = () => Promise.reject(new Error('socket hang up'));
  app.admin.connect({ broadcast: { send: down, progress: down } });
  const draft = app.admin.broadcasts.draft('tg:1', { text: 'News' });
  app.admin.broadcasts.start('tg:1', draft.id, { chatId: 101, messageId: 1 });
  await app.admin.sender.runBatch({ broadcastId: draft.id, seq: 1 });
  expect(app.admin.broadcasts.counts(draft.id)).toMatchObject({ pending: 0, sent: 0, failed: 3 });
  expect(app.admin.broadcasts.get(draft.id).status).toBe('done');
  await app.stop();
});

test('telling a user is best effort: a failing notice is reported, never thrown', async () => {
  const notify = () => Promise.reject(new Error('Forbidden: bot was blocked by the user'));
  expect(await tell({ notify }, 7, 'admin-ban-user')).toBe(false);
  expect(await tell({ notify: async () => {} }, 7, 'admin-ban-user')).toBe(true);
  expect(await tell({}, 7, 'admin-ban-user')).toBe(false);
});
