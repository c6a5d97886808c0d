/**
 * Behind a reverse proxy every connection comes from the proxy: TRUSTED_PROXIES lets the limits
 * count each client by the address the proxy names, and nobody else can name one.
 */
import { afterEach, describe, expect, test } from 'bun:test';
import { loadConfig } from '../../src/config.ts';
import { startTestApp, type TestApp } from '../support/app.ts';

const LIMIT = 6;
let running: TestApp | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

async function start(env: Record<string, string> = {}) {
  running = await startTestApp({ env: { RATE_LIMIT_REQUESTS: String(LIMIT), RATE_LIMIT_WINDOW: '60', ...env } });
  return running;
}

/** Statuses of `n` catalog reads that say they were forwarded for `client`. */
async function reads(app: TestApp, n: number, client: string) {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    out.push((await fetch(`${app.url}/api/categories`, { headers: { 'x-forwarded-for': client } })).status);
  }
  return out;
}

describe('TRUSTED_PROXIES', () => {
  test('from a trusted proxy, each client it names has its own budget', async () => {
    const app = await start({ TRUSTED_PROXIES: '127.0.0.1, ::1' });
    expect(await reads(app, LIMIT + 1, '198.51.100.7')).toEqual([...Array(LIMIT).fill(200), 429]);
    // Another visitor behind the same proxy is not refused because of the first one...
    expect(await reads(app, 1, '198.51.100.8')).toEqual([200]);
    // ...and the first cannot escape by writing another address to the left of the proxy's.
    expect(await reads(app, 1, '203.0.113.1, 198.51.100.7')).toEqual([429]);
  });

  test('unset, a client naming other addresses in X-Forwarded-For still counts as its connection', async () => {
    const app = await start();
    const answers: number[] = [];
    for (let i = 0; i < LIMIT + 4; i++) answers.push(...(await reads(app, 1, `198.51.100.${i}`)));
    expect(answers.filter((s) => s === 429)).toHaveLength(4);
  });

  test('a value that is not an address or a range stops the start with one clear line', () => {
    expect(() => loadConfig({ TRUSTED_PROXIES: '10.0.0.0/8, caddy' })).toThrow(
      'TRUSTED_PROXIES="10.0.0.0/8, caddy" is invalid: expected addresses or CIDR ranges, comma separated',
    );
  });
});
