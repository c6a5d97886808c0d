/**
 * Start-up loads only what a request may need: an app built and started without
 * REDIS_URL, SMTP or TELEGRAM_TOKEN never loads ioredis, rate-limiter-flexible, nodemailer's
 * transport, grammY, qrcode or file-type. Checked in a fresh
 * process, whose module registry holds exactly what the app loaded. Node built-ins are not in
 * that registry: the source is checked for the three that cost the binary 5-13 ms each to load.
 */
import { expect, test } from 'bun:test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, runCommand } from '../support/process.ts';

const ROOT = repoRoot;
const PROBE = `
const { createApp } = await import(${JSON.stringify(join(ROOT, 'src/app.ts'))});
const { loadConfig } = await import(${JSON.stringify(join(ROOT, 'src/config.ts'))});
const { createLogger } = await import(${JSON.stringify(join(ROOT, 'src/lib/logger.ts'))});
const config = loadConfig({ DATA_DIR: process.env.PROBE_DIR, PORT: '0', HOST: '127.0.0.1' });
const app = createApp({ config, logger: createLogger({ level: 'silent' }) });
await app.start();
const health = await fetch('http://127.0.0.1:' + app.http.server.port + '/health');
console.log(JSON.stringify({ health: health.status, loaded: Object.keys(require.cache) }));
await app.stop();
`;

/** Files that must not be loaded (nodemailer: its transport; its small errors module is). */
const NOT_AT_START = [
  /node_modules\/ioredis\//,
  /node_modules\/rate-limiter-flexible\//,
  /node_modules\/nodemailer\/dist\/[^/]+\/nodemailer\.js$/,
  /node_modules\/grammy\//,
  /node_modules\/@grammyjs\//,
  /node_modules\/file-type\//,
  /node_modules\/qrcode\//,
  // prom-client's index (the Pushgateway, the cluster aggregator): lib/prom.ts takes the classes from their own files.
  /node_modules\/prom-client\/index\.js$/,
  /node_modules\/prom-client\/lib\/pushgateway\.js$/,
  /node_modules\/prom-client\/lib\/cluster\.js$/,
];

test('an app started without Redis, SMTP or a bot token loads none of their libraries', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'techbot-lazy-'));
  try {
    const { code, stdout: out, stderr: err } = await runCommand([process.execPath, '-e', PROBE], { PROBE_DIR: dir });
    expect(err).toBe('');
    expect(code).toBe(0);
    const { health, loaded } = JSON.parse(out) as { health: number; loaded: string[] };
    expect(health).toBe(200);
    expect(loaded.some((path) => path.includes('node_modules/elysia/'))).toBe(true); // the probe sees packages
    expect(loaded.filter((path) => NOT_AT_START.some((pattern) => pattern.test(path)))).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 30_000);

test('no module imports node:crypto, node:zlib or node:net (Web Crypto, Bun.CryptoHasher, fflate; node:net lazily)', () => {
  const heavy = /^import [^;]*from 'node:(crypto|zlib|net)';/m;
  const offenders = [...new Bun.Glob('src/**/*.ts').scanSync({ cwd: ROOT })].filter((file) =>
    heavy.test(readFileSync(join(ROOT, file), 'utf8').replace(/^import type [^;]*;/gm, '')),
  );
  expect(offenders).toEqual([]);
});
