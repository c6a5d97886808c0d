/**
 * The whole app, logging as main.ts sets it up: requests that carry an upload token, a download
 * token or an API key, and fail in every way, leave none of them in the log.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApp, type App } from '../../src/app.ts';
import { SECRET_URL_PATHS } from '../../src/http/server.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { ADMIN_KEY } from '../support/app.ts';
import { tempDir, testConfig } from '../support/env.ts';

describe('no logged line contains a token or a key', () => {
  const dir = tempDir();
  const lines: string[] = [];
  let app: App;
  let url: string;
  beforeAll(async () => {
    const config = testConfig(dir.path, { ADMIN_API_KEY: ADMIN_KEY, LOG_LEVEL: 'debug' });
    const logger = createLogger({
      level: 'debug',
      secrets: [ADMIN_KEY],
      secretPaths: SECRET_URL_PATHS,
      destination: { write: (line: string) => void lines.push(line) },
    });
    app = createApp({ config, logger });
    url = `http://127.0.0.1:${await app.start()}`;
  });
  afterAll(async () => {
    await app.stop();
    dir.cleanup();
  });

  test('uploads that fail on the server (500) are logged with their URL, without its token', async () => {
    const created = await fetch(`${url}/api/admin/api-keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'seller', seller_name: 'Leaky shop' }),
    });
    const seller = (await created.json()) as { key: string; seller_id: number };
    const link = app.files.createUploadLink(seller.seller_id);
    // The upload spool directory is a file: every upload fails with an unexpected error.
    const spool = join(dir.path, 'files', 'tmp');
    rmSync(spool, { recursive: true, force: true });
    mkdirSync(join(dir.path, 'files'), { recursive: true });
    writeFileSync(spool, 'not a directory');
    const body = 'lesson one. '.repeat(1000);
    const attempts = [
      fetch(`${url}/api/upload?filename=notes.txt&token=${link.token}`, { method: 'POST', body }),
      fetch(`${url}/api/upload?filename=notes.txt`, {
        method: 'POST',
        headers: { 'x-upload-token': link.token },
        body,
      }),
      fetch(`${url}/api/upload?filename=notes.txt`, {
        method: 'POST',
        headers: { authorization: `Bearer ${seller.key}` },
        body,
      }),
    ];
    for (const response of await Promise.all(attempts)) expect(response.status).toBe(500);
    // And the refusals on the way: a wrong download token, a wrong upload page, a wrong key.
    await fetch(`${url}/api/downloads/${link.token}`);
    await fetch(`${url}/upload/${link.token}`);
    await fetch(`${url}/api/seller/products`, { headers: { authorization: `Bearer ${seller.key}x` } });

    const text = lines.join('');
    expect(text).toContain('unhandled error');
    expect(text).toContain('/api/upload?filename=notes.txt&token=[redacted]');
    for (const secret of [link.token, seller.key, seller.key.split('_')[2]!, ADMIN_KEY])
      expect(text).not.toContain(secret);
  });
});
