import { describe, expect, test } from 'bun:test';
import { Writable } from 'node:stream';
import {
  ConfigError,
  disabledIntegrations,
  loadConfig,
  NOWPAYMENTS_PRODUCTION_URL,
  NOWPAYMENTS_SANDBOX_URL,
  secretValues,
} from '../src/config.ts';
import { variables } from '../src/config/variables.ts';
import { createLogger } from '../src/lib/logger.ts';

const TOKEN = '123456789:AAHfakeTokenValue_abcdefghijklmnop';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('config defaults', () => {
  test('an empty environment gives the documented defaults', () => {
    const config = loadConfig({});
    expect(config.http.port).toBe(8000);
    expect(config.http.host).toBe('0.0.0.0');
    expect(config.http.publicUrl).toBeUndefined();
    expect(config.databasePath).toEndWith('/data/techbot.db');
    expect(config.smtp.port).toBe(587);
    expect(config.maxConnections).toBe(20);
    expect(config.cacheTtlSeconds).toBe(3600);
    expect(config.maxFileSizeBytes).toBe(100 * 1024 * 1024);
    expect(config.rateLimit).toEqual({ requests: 15, windowSeconds: 60 });
    expect(config.platformFeePercent).toBe(5);
    expect(config.storeCurrency).toBe('USD');
    expect(config.logLevel).toBe('info');
    expect(config.telegram).toEqual({ token: undefined, apiRoot: 'https://api.telegram.org' });
    expect(config.nowpayments.apiUrl).toBe(NOWPAYMENTS_PRODUCTION_URL);
    expect(config.admin.telegramIds).toEqual([]);
  });

  test('blank values count as unset', () => {
    expect(loadConfig({ PORT: '  ', TELEGRAM_TOKEN: '' }).http.port).toBe(8000);
  });

  test('every variable is documented with an expectation and a description', () => {
    for (const [name, spec] of Object.entries(variables)) {
      expect(spec.doc.length, name).toBeGreaterThan(5);
      expect(spec.expect.length, name).toBeGreaterThan(3);
    }
  });
});

describe('config parsing', () => {
  test('values are converted to their types', () => {
    const config = loadConfig({
      PORT: '9000',
      NOWPAYMENTS_SANDBOX: 'true',
      PLATFORM_FEE_PERCENT: '2.5',
      ADMIN_USER_ID: ' 111, 222 ,333',
      PUBLIC_URL: 'https://shop.example.com/',
      MAX_FILE_SIZE_MB: '2',
    });
    expect(config.http.port).toBe(9000);
    expect(config.nowpayments.sandbox).toBe(true);
    expect(config.nowpayments.apiUrl).toBe(NOWPAYMENTS_SANDBOX_URL);
    expect(config.platformFeePercent).toBe(2.5);
    expect(config.admin.telegramIds).toEqual([111, 222, 333]);
    expect(config.http.publicUrl).toBe('https://shop.example.com');
    expect(config.maxFileSizeBytes).toBe(2 * 1024 * 1024);
  });

  test('NOWPAYMENTS_API_URL overrides production and sandbox', () => {
    const url = 'http://127.0.0.1:9999';
    expect(loadConfig({ NOWPAYMENTS_API_URL: url, NOWPAYMENTS_SANDBOX: 'true' }).nowpayments.apiUrl).toBe(url);
  });

  const rejected: [string, string][] = [
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '80.5'],
    ['SMTP_PORT', '0'],
    ['MAX_CONNECTIONS', '0'],
    ['CACHE_TTL', '-5'],
    ['MAX_FILE_SIZE_MB', 'big'],
    ['RATE_LIMIT_REQUESTS', '0'],
    ['RATE_LIMIT_WINDOW', '-1'],
    ['PLATFORM_FEE_PERCENT', '101'],
    ['STORE_CURRENCY', 'usd'],
    ['LOG_LEVEL', 'loud'],
    ['NOWPAYMENTS_SANDBOX', 'yes'],
    ['ADMIN_USER_ID', '12,abc'],
    ['ADMIN_EMAIL', 'not-an-email'],
    ['PUBLIC_URL', 'shop.example.com'],
    ['TELEGRAM_API_ROOT', 'ftp://x'],
    ['NOWPAYMENTS_API_URL', 'nowhere'],
    ['REDIS_URL', 'http://localhost:6379'],
    ['TELEGRAM_TOKEN', 'not-a-token'],
    ['ADMIN_API_KEY', 'short'],
  ];
  for (const [name, value] of rejected) {
    test(`${name}=${value} is rejected with one line naming the variable`, () => {
      const lines = problems({ [name]: value });
      expect(lines).toHaveLength(1);
      expect(lines[0]).toStartWith(`${name}=`);
      expect(lines[0]).toContain('expected');
    });
  }

  test('an http:// PUBLIC_URL is refused for a bot on the official Bot API (Telegram calls only https webhooks)', () => {
    const lines = problems({ TELEGRAM_TOKEN: TOKEN, PUBLIC_URL: 'http://shop.example.com' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toStartWith('PUBLIC_URL="http://shop.example.com" is invalid: expected an https:// URL');
    expect(lines[0]).toContain('TELEGRAM_API_ROOT');
    expect(
      problems({
        TELEGRAM_TOKEN: TOKEN,
        PUBLIC_URL: 'http://x.example',
        TELEGRAM_API_ROOT: 'https://api.telegram.org/',
      }),
    ).toHaveLength(1);
    // Allowed: https; no bot; a local Bot API server (or a fake) that calls http webhooks.
    expect(problems({ TELEGRAM_TOKEN: TOKEN, PUBLIC_URL: 'https://shop.example.com' })).toEqual([]);
    expect(problems({ PUBLIC_URL: 'http://shop.example.com' })).toEqual([]);
    expect(
      problems({
        TELEGRAM_TOKEN: TOKEN,
        PUBLIC_URL: 'http://10.0.0.5:8000',
        TELEGRAM_API_ROOT: 'http://127.0.0.1:8081',
      }),
    ).toEqual([]);
  });

  test('several bad variables give one line each', () => {
    const lines = problems({ PORT: 'abc', RATE_LIMIT_WINDOW: '-1' });
    expect(lines).toHaveLength(2);
    expect(lines.some((l) => l.startsWith('PORT="abc"'))).toBe(true);
    expect(lines.some((l) => l.startsWith('RATE_LIMIT_WINDOW="-1"'))).toBe(true);
  });

  test('a rejected secret is never shown', () => {
    const lines = problems({ TELEGRAM_TOKEN: 'leaky-secret-value', ADMIN_API_KEY: 'tiny-secret' });
    expect(lines).toHaveLength(2);
    const text = lines.join('\n');
    expect(text).not.toContain('leaky-secret-value');
    expect(text).not.toContain('tiny-secret');
    expect(text).toContain('(value hidden)');
  });
});

describe('integrations', () => {
  test('missing integrations are listed as disabled, configured ones are not', () => {
    expect(disabledIntegrations(loadConfig({})).join('\n')).toContain('TELEGRAM_TOKEN not set');
    const off = disabledIntegrations(
      loadConfig({ TELEGRAM_TOKEN: TOKEN, NOWPAYMENTS_API_KEY: 'k', NOWPAYMENTS_IPN_SECRET: 's' }),
    ).join('\n');
    expect(off).not.toContain('TELEGRAM_TOKEN');
    expect(off).not.toContain('NOWPAYMENTS');
    expect(off).toContain('SMTP_SERVER');
  });
});

describe('logger', () => {
  function capture() {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    return { lines, destination };
  }

  test('secret values are scrubbed from any log line, and secret fields are redacted', () => {
    const { lines, destination } = capture();
    const secrets = secretValues({ TELEGRAM_TOKEN: TOKEN, SMTP_PASSWORD: 'hunter2-password' });
    expect(secrets).toContain(TOKEN);
    const logger = createLogger({ level: 'info', secrets, destination });
    logger.error({ err: new Error(`fetch https://api.telegram.org/bot${TOKEN}/getMe failed`) }, 'telegram down');
    logger.info({ smtp: { password: 'another-one' }, authorization: 'Bearer abc' }, 'config');
    const out = lines.join('');
    expect(out).not.toContain(TOKEN);
    expect(out).not.toContain('another-one');
    expect(out).not.toContain('Bearer abc');
    expect(out).toContain('[redacted]');
    expect(JSON.parse(lines[0]!).msg).toBe('telegram down');
  });
});
