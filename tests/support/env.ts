import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../src/config.ts';
import type { Clock } from '../../src/lib/clock.ts';
import { createLogger } from '../../src/lib/logger.ts';

export const BOT_TOKEN = '123456:TEST-bot_token_for_the_bot_tests';
export const NP_KEY = 'np-test-api-key';
export const NP_SECRET = 'np-test-ipn-secret';

export type TestClock = Clock & { advance(ms: number): void };

/** A clock the test moves by hand. */
export function fakeClock(start = Date.UTC(2026, 10, 24, 12, 0, 0)): TestClock {
  let now = start;
  return { now: () => now, advance: (ms) => void (now += ms) };
}

/** A JSON log line the app wrote. */
export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** A fresh temporary directory, removed by the returned cleanup. */
export function tempDir(prefix = 'techbot-test-'): { path: string; cleanup(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

/** Config on a temp DATA_DIR and any free port, with the given variables on top. */
export function testConfig(dataDir: string, env: Record<string, string> = {}): Config {
  return loadConfig({ DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', ...env });
}

export const silentLogger = () => createLogger({ level: 'silent' });
