import { afterEach, expect, test } from 'bun:test';
import { Database } from 'bun:sqlite';
import { createApp } from '../src/app.ts';
import { silentLogger, tempDir, testConfig } from './support/env.ts';

const dirs: { cleanup(): void }[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.cleanup();
});

test('stop() lets an in-flight request finish, refuses new ones, then closes the database', async () => {
  const dir = tempDir();
  dirs.push(dir);
  const app = createApp({ config: testConfig(dir.path), logger: silentLogger() });
  const release = Promise.withResolvers<void>();
  const entered = Promise.withResolvers<void>();
  // Stands for any slow handler (an upload, a payment call) that is running at shutdown.
  app.http.get('/slow', async () => {
    entered.resolve();
    await release.promise;
    return 'finished';
  });
  const port = await app.start();
  const inFlight = fetch(`http://127.0.0.1:${port}/slow`);
  await entered.promise;

  let stopped = false;
  const stopping = app.stop().then(() => (stopped = true));
  await Bun.sleep(0);
  expect(stopped).toBe(false);
  await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();

  release.resolve();
  const response = await inFlight;
  expect(await response.text()).toBe('finished');
  await stopping;
  expect(() => app.store.sqlite.query('SELECT 1').get()).toThrow();
});

const scheduledJobs = (sqlite: Database) =>
  (sqlite.query("SELECT count(*) AS n FROM jobs WHERE unique_key LIKE 'schedule:%'").get() as { n: number }).n;

test('once start() resolves, /health answers and the recurring jobs are scheduled', async () => {
  const dir = tempDir();
  dirs.push(dir);
  const app = createApp({ config: testConfig(dir.path), logger: silentLogger() });
  const port = await app.start();
  try {
    expect(scheduledJobs(app.store.sqlite)).toBeGreaterThan(0);
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
  } finally {
    await app.stop();
  }
});

test('an app stopped while it starts schedules nothing and starts no worker (its database is closed)', async () => {
  const dir = tempDir();
  dirs.push(dir);
  const config = testConfig(dir.path);
  const app = createApp({ config, logger: silentLogger() });
  const starting = app.start();
  await app.stop();
  await starting;
  const sqlite = new Database(config.databasePath, { readonly: true });
  try {
    expect(scheduledJobs(sqlite)).toBe(0);
  } finally {
    sqlite.close();
  }
});
