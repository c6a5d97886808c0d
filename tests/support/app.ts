import { createApp, type App, type AppDeps } from '../../src/app.ts';
import type { Clock } from '../../src/lib/clock.ts';
import { silentLogger, tempDir, testConfig } from './env.ts';

export const ADMIN_KEY = 'admin-key-for-tests-0123456789abcdef';

/** A clock the test moves by hand. */
export function fakeClock(start = Date.UTC(2026, 10, 24, 12, 0, 0)): Clock & { advance(ms: number): void } {
  let now = start;
  return { now: () => now, advance: (ms) => void (now += ms) };
}

export interface RunningApp {
  app: App;
  url: string;
  /** Its DATA_DIR (a temp directory). */
  dataDir: string;
  /** fetch relative to the app, JSON body and bearer key made easy. */
  call(method: string, path: string, options?: { key?: string; body?: unknown }): Promise<Response>;
  stop(): Promise<void>;
}

/** What a test may hand createApp besides the config (e.g. shorter NOWPayments timeouts). */
export type AppOverrides = Omit<AppDeps, 'config' | 'logger' | 'clock'>;

/** The whole app, in process, on a temp database and a free port. */
export async function startApp(
  env: Record<string, string> = {},
  clock?: Clock,
  overrides: AppOverrides = {},
): Promise<RunningApp> {
  const dir = tempDir();
  const config = testConfig(dir.path, { ADMIN_API_KEY: ADMIN_KEY, RATE_LIMIT_REQUESTS: '100000', ...env });
  const app = createApp({ ...overrides, config, logger: silentLogger(), clock });
  const port = await app.start();
  const url = `http://127.0.0.1:${port}`;
  return {
    app,
    url,
    dataDir: dir.path,
    call(method, path, { key, body } = {}) {
      const headers: Record<string, string> = {};
      if (key) headers.authorization = `Bearer ${key}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      return fetch(`${url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    },
    async stop() {
      await app.stop();
      dir.cleanup();
    },
  };
}

/** Creates a seller and returns its API key. */
export async function sellerKey(running: RunningApp, name = 'Ada Academy'): Promise<{ key: string; sellerId: number }> {
  const response = await running.call('POST', '/api/admin/api-keys', {
    key: ADMIN_KEY,
    body: { role: 'seller', seller_name: name },
  });
  if (response.status !== 201) throw new Error(`seller key: ${response.status} ${await response.text()}`);
  const created = (await response.json()) as { key: string; seller_id: number };
  return { key: created.key, sellerId: created.seller_id };
}
