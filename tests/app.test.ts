import { afterEach, expect, test } from 'bun:test';
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

const scheduledJobs = (app: ReturnType<typeof createApp>) =>
  (app.store.sqlite.query("SELECT count(*) AS n FROM jobs WHERE unique_key LIKE 'schedule:%'").get() as { n: number })
    .n;

test('the recurring jobs are scheduled and the job worker started just after the first requests can be answered', async () => {
  const dir = tempDir();
  dirs.push(dir);
  const app = createApp({ config: testConfig(dir.path), logger: silentLogger() });
  const port = await app.start();
  try {
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    for (let waited = 0; scheduledJobs(app) === 0 && waited < 2000; waited += 10) await Bun.sleep(10);
    expect(scheduledJobs(app)).toBeGreaterThan(0);
  } finally {
    await app.stop();
  }
});

test('an app stopped right after it started schedules nothing afterwards (its database is closed)', async () => {
  const dir = tempDir();
  dirs.push(dir);
  const app = createApp({ config: testConfig(dir.path), logger: silentLogger() });
  await app.start();
  await app.stop();
  // Past the moment the jobs would have started: nothing ran against the closed database.
  await Bun.sleep(60);
  expect(() => app.store.sqlite.query('SELECT 1').get()).toThrow();
});
