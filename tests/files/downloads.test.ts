/**
 * Signed download links: the whole app in process on a fake clock.
 * Course files are put in place the way the upload pipeline leaves them: a blob under
 * DATA_DIR/files laid out by paths.ts (gzip of the original bytes, or the bytes as they are),
 * a `files` row and the product's `file_id`. Buyers own products through paid orders.
 */
import { afterEach, describe, expect, test } from 'bun:test';
import { eq } from 'drizzle-orm';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { contentDisposition, DOWNLOADS_PATH } from '../../src/http/routes/downloads.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { loadDownloadSecret, signDownloadToken, type DownloadClaims } from '../../src/modules/files/download-token.ts';
import { createDownloads } from '../../src/modules/files/downloads.ts';
import { blobPath } from '../../src/modules/files/paths.ts';
import { entitlements, files, products } from '../../src/store/schema/index.ts';
import { fakeClock, startTestApp, type TestApp } from '../support/app.ts';
import { tempDir } from '../support/env.ts';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const PDF_NAME = 'Cours – Développement été.pdf';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Text that compresses well and is not one repeated line: a few MB of numbered lessons. */
function lessonText(lines: number): Uint8Array<ArrayBuffer> {
  const out: string[] = ['%PDF-1.4\n'];
  for (let i = 0; i < lines; i++)
    out.push(`Leçon ${i}: les variables, les boucles et les fonctions (${(i * 7919) % 10007}).\n`);
  return new TextEncoder().encode(out.join(''));
}

interface FileSpec {
  name: string;
  mime: string;
  bytes: Uint8Array<ArrayBuffer>;
  compression: 'none' | 'gzip';
}

type Clock = ReturnType<typeof fakeClock>;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The app on a known DATA_DIR and port (PUBLIC_URL = where it listens), background jobs off. */
async function startShop(clock: Clock, env: Record<string, string> = {}, dataDir?: string) {
  const dir = dataDir ? undefined : tempDir('techbot-downloads-');
  const data = dataDir ?? dir!.path;
  const running = await startTestApp({ env: { DATA_DIR: data, ...env }, clock, publicUrl: true });
  await running.app.queue.stop();
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await running.stop();
  };
  cleanups.push(() => dir?.cleanup());
  cleanups.push(stop);
  return { running, dataDir: data, stop, ...shopActions(running, data, clock) };
}

function shopActions(running: TestApp, dataDir: string, clock: Clock) {
  const { app } = running;
  const db = app.store.db;
  let fileCount = 0;
  let telegramIds = 1000;

  async function product(title = 'Développement web, de zéro') {
    const seller = await running.sellerKey(`Seller ${title}`);
    const response = await running.call('POST', '/api/products', {
      key: seller.key,
      body: {
        title,
        description: 'Lessons, exercises and their solutions.',
        price_cents: 2900,
        category: 'finance-crypto',
      },
    });
    expect(response.status).toBe(201);
    return { id: ((await response.json()) as { id: string }).id, sellerId: seller.sellerId };
  }

  /** Stores a blob per paths.ts, its `files` row, and makes it the product's file. */
  function attach(productId: string, sellerId: number, spec: FileSpec) {
    const hash = sha256(spec.bytes);
    const stored = spec.compression === 'gzip' ? Bun.gzipSync(spec.bytes) : spec.bytes;
    const path = blobPath(dataDir, hash, spec.compression);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, stored);
    const id = `FILE${++fileCount}`;
    db.insert(files)
      .values({
        id,
        ownerSellerId: sellerId,
        originalName: spec.name,
        mimeType: spec.mime,
        extension: spec.name.split('.').pop()!,
        sizeBytes: spec.bytes.length,
        storedSizeBytes: stored.length,
        compression: spec.compression,
        sha256: hash,
        createdAt: clock.now(),
      })
      .run();
    db.update(products).set({ fileId: id }).where(eq(products.id, productId)).run();
    return { id, path, hash, storedSize: stored.length };
  }

  /** A Telegram user who paid for the given products. */
  function buyer(...productIds: string[]) {
    const user = app.users.upsertTelegram({ telegramId: ++telegramIds, firstName: 'Bea', languageCode: 'fr' });
    for (const productId of productIds) {
      const { order } = app.orders.create({ buyerId: user.id, productId, method: 'crypto' });
      app.orders.transition(order.id, { to: 'paid', actor: 'test' });
    }
    return user.id;
  }

  /** A course with a small text file, and one buyer. */
  async function soldCourse(spec: Partial<FileSpec> = {}) {
    const course = await product();
    const file = attach(course.id, course.sellerId, {
      name: PDF_NAME,
      mime: 'application/pdf',
      bytes: lessonText(200),
      compression: 'gzip',
      ...spec,
    });
    return { ...course, file, buyerId: buyer(course.id) };
  }

  const downloadCount = () => (app.store.sqlite.query('SELECT count(*) AS n FROM downloads').get() as { n: number }).n;

  return { product, attach, buyer, soldCourse, downloadCount, link: app.downloads.createDownloadLink };
}

async function expectError(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toContain('application/json');
  const body = (await response.json()) as { error: { code: string; message: string; details: unknown } };
  expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(10);
  return body.error;
}

const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as Record<string, unknown>;
/** The same signature over a payload with some claims changed. */
const rewritten = (token: string, change: Record<string, unknown>) =>
  `${Buffer.from(JSON.stringify({ ...claimsOf(token), ...change })).toString('base64url')}.${token.split('.')[1]}`;
const keyOf = (dataDir: string) => readFileSync(join(dataDir, 'download.key'), 'utf8').trim();

describe('downloading a purchased course file', () => {
  test('a file stored gzip streams back decompressed and byte-identical, with name, type and size', async () => {
    const shop = await startShop(fakeClock());
    const original = lessonText(60_000);
    const { file, buyerId, id } = await shop.soldCourse({ bytes: original });
    expect(file.storedSize).toBeLessThan(original.length / 3);

    const link = shop.link(buyerId, id);
    expect(link.url.startsWith(`${shop.running.url}/api/downloads/`)).toBe(true);
    const response = await fetch(link.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="Cours _ Developpement ete.pdf"; filename*=UTF-8''Cours%20%E2%80%93%20D%C3%A9veloppement%20%C3%A9t%C3%A9.pdf`,
    );
    // Bun 1.4 frames every streamed body chunked and drops a handler-set Content-Length
    // (oven-sh/bun#10507); the header is set, so it reaches clients once Bun honours it.
    const length = response.headers.get('content-length');
    if (length !== null) expect(length).toBe(String(original.length));
    const body = new Uint8Array(await response.arrayBuffer());
    expect(body.length).toBe(original.length);
    expect(sha256(body)).toBe(file.hash);
  });

  test('a zip stored as it is comes back byte-identical with its exact Content-Length', async () => {
    const shop = await startShop(fakeClock());
    const zip = crypto.getRandomValues(new Uint8Array(3 * 65_536 + 123));
    zip.set([0x50, 0x4b, 0x03, 0x04]);
    const { file, buyerId, id } = await shop.soldCourse({
      name: 'Exercices (corrigés).zip',
      mime: 'application/zip',
      bytes: zip,
      compression: 'none',
    });
    expect(file.path.endsWith('.gz')).toBe(false);

    const response = await fetch(shop.link(buyerId, id).url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    expect(response.headers.get('content-length')).toBe(String(zip.length));
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="Exercices (corriges).zip"; filename*=UTF-8''Exercices%20%28corrig%C3%A9s%29.zip`,
    );
    expect(sha256(new Uint8Array(await response.arrayBuffer()))).toBe(file.hash);
  });

  test('Content-Disposition: a quoted ASCII fallback that cannot break out, and the exact name per RFC 5987', () => {
    expect(contentDisposition('plain.pdf')).toBe(`attachment; filename="plain.pdf"; filename*=UTF-8''plain.pdf`);
    expect(contentDisposition('a"b\\c%d\r\ne.txt')).toBe(
      `attachment; filename="a_b_c_d__e.txt"; filename*=UTF-8''a%22b%5Cc%25d%0D%0Ae.txt`,
    );
    expect(contentDisposition("l'été*🚀.md")).toBe(
      `attachment; filename="l'ete*__.md"; filename*=UTF-8''l%27%C3%A9t%C3%A9%2A%F0%9F%9A%80.md`,
    );
  });

  test('the bytes served are counted in file_bytes_served_total', async () => {
    const shop = await startShop(fakeClock());
    const { file, buyerId, id } = await shop.soldCourse();
    const served = async () => {
      const text = await (await fetch(`${shop.running.url}/metrics`)).text();
      return Number(/^file_bytes_served_total (\S+)$/m.exec(text)?.[1] ?? Number.NaN);
    };
    const before = await served();
    await (await fetch(shop.link(buyerId, id).url)).arrayBuffer();
    expect((await served()) - before).toBe(lessonText(200).length);
    expect(file.storedSize).toBeLessThan(lessonText(200).length);
  });
});

describe('download tokens', () => {
  test('a tampered or malformed token is refused with 403', async () => {
    const shop = await startShop(fakeClock());
    const { buyerId, id } = await shop.soldCourse();
    const { token } = shop.link(buyerId, id);
    const [payload, signature] = token.split('.') as [string, string];
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
    const bad = [
      `${payload}.${flip(signature, 5)}`,
      `${flip(payload, 3)}.${signature}`,
      rewritten(token, { x: Number(claimsOf(token).x) + 365 * DAY }),
      `${payload}.${signature}.${signature}`,
      `${payload}.`,
      payload,
      'not-a-token',
      `${payload}.${signature.slice(0, -2)}`,
      'x'.repeat(5000),
    ];
    for (const forged of bad) {
      const error = await expectError(await fetch(`${shop.running.url}/api/downloads/${forged}`), 403, 'forbidden');
      expect(error.details).toEqual({ reason: 'invalid_token' });
    }
    expect(shop.downloadCount()).toBe(0);
    expect((await fetch(`${shop.running.url}/api/downloads/${token}`)).status).toBe(200);
  });

  test('a link works until its expiry (24 h on the fake clock) and answers 410 one millisecond later', async () => {
    const clock = fakeClock();
    const shop = await startShop(clock);
    const { buyerId, id } = await shop.soldCourse();
    const link = shop.link(buyerId, id);
    expect(link.expiresAt).toBe(clock.now() + DAY);
    clock.advance(DAY);
    expect((await fetch(link.url)).status).toBe(200);
    clock.advance(1);
    const error = await expectError(await fetch(link.url), 410, 'gone');
    expect(error.details).toMatchObject({ reason: 'expired' });
    expect((await fetch(shop.link(buyerId, id).url)).status).toBe(200);
  });

  test("another buyer's token cannot fetch: not by rewriting its buyer, nor by pointing it at another course", async () => {
    const shop = await startShop(fakeClock());
    const x = await shop.soldCourse();
    const y = await shop.soldCourse({ name: 'Other.txt', mime: 'text/plain', bytes: lessonText(10) });
    const alice = x.buyerId;
    const bob = shop.buyer(x.id);
    const token = shop.link(alice, x.id).token;

    // Claims cannot be edited: the signature covers them.
    for (const change of [{ u: bob }, { p: y.id }, { f: y.file.id }, { p: y.id, f: y.file.id }]) {
      await expectError(await fetch(`${shop.running.url}/api/downloads/${rewritten(token, change)}`), 403, 'forbidden');
    }
    // Someone who does not own a course gets no link for it.
    expect(() => shop.link(alice, y.id)).toThrow(expect.objectContaining({ code: 'forbidden' }));

    // Even a correctly signed token only fetches its product's current file, for its owner.
    const key = keyOf(shop.dataDir);
    const signed = (claims: Omit<DownloadClaims, 'expiresAt'>) =>
      `${shop.running.url}/api/downloads/${signDownloadToken(key, { ...claims, expiresAt: Date.UTC(2030, 0, 1) })}`;
    const mismatch = await expectError(
      await fetch(signed({ buyerId: alice, productId: x.id, fileId: y.file.id })),
      403,
      'forbidden',
    );
    expect(mismatch.details).toEqual({ reason: 'file_mismatch' });
    const notOwned = await expectError(
      await fetch(signed({ buyerId: alice, productId: y.id, fileId: y.file.id })),
      403,
      'forbidden',
    );
    expect(notOwned.details).toEqual({ reason: 'not_owned' });
    expect((await fetch(signed({ buyerId: alice, productId: x.id, fileId: x.file.id }))).status).toBe(200);
    expect(shop.downloadCount()).toBe(1);
  });

  test('a buyer whose entitlement is revoked gets 403, for links already sent and for new ones', async () => {
    const shop = await startShop(fakeClock());
    const { buyerId, id } = await shop.soldCourse();
    const link = shop.link(buyerId, id);
    shop.running.app.store.db
      .update(entitlements)
      .set({ revokedAt: Date.now() })
      .where(eq(entitlements.userId, buyerId))
      .run();
    const error = await expectError(await fetch(link.url), 403, 'forbidden');
    expect(error.details).toEqual({ reason: 'not_owned' });
    expect(() => shop.link(buyerId, id)).toThrow(expect.objectContaining({ code: 'forbidden' }));
    expect(shop.downloadCount()).toBe(0);
  });

  test('createDownloadLink: unknown course 404, course without a file 404, no PUBLIC_URL 503', async () => {
    const shop = await startShop(fakeClock());
    const bare = await shop.product('No file yet');
    const buyerId = shop.buyer(bare.id);
    expect(() => shop.link(buyerId, 'TBF-0000-AAAAAA')).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(() => shop.link(buyerId, bare.id)).toThrow(
      expect.objectContaining({ code: 'not_found', details: { reason: 'no_file' } }),
    );
    const { app } = shop.running;
    const offline = createDownloads({
      db: app.store.db,
      clock: fakeClock(),
      logger: createLogger({ level: 'silent' }),
      dataDir: shop.dataDir,
      secret: keyOf(shop.dataDir),
      limitPerDay: 10,
      linkTtlMs: DAY,
      owns: app.orders.owns,
      catalog: app.catalog,
    });
    const sold = await shop.soldCourse();
    expect(() => offline.createDownloadLink(sold.buyerId, sold.id)).toThrow(
      expect.objectContaining({ code: 'unavailable' }),
    );
  });

  test('a blob missing on disk answers 404 with a clear message, is logged, and does not count', async () => {
    const shop = await startShop(fakeClock());
    const { buyerId, id, file } = await shop.soldCourse();
    rmSync(file.path);
    const lines: string[] = [];
    const { app } = shop.running;
    const downloads = createDownloads({
      db: app.store.db,
      clock: fakeClock(),
      logger: createLogger({ level: 'error', destination: { write: (line: string) => void lines.push(line) } }),
      dataDir: shop.dataDir,
      secret: keyOf(shop.dataDir),
      limitPerDay: 10,
      linkTtlMs: DAY,
      linkBase: `${shop.running.url}${DOWNLOADS_PATH}`,
      owns: app.orders.owns,
      catalog: app.catalog,
    });
    const link = downloads.createDownloadLink(buyerId, id);
    await expect(downloads.open(link.token)).rejects.toMatchObject({
      code: 'not_found',
      details: { reason: 'blob_missing' },
    });
    expect(lines.join('')).toContain('course file missing on disk');
    const error = await expectError(await fetch(link.url), 404, 'not_found');
    expect(error.message).toContain('missing on the server');
    expect(shop.downloadCount()).toBe(0);
  });
});

describe('the daily download limit (10 per purchase, rolling 24 hours)', () => {
  test('the 11th download within 24 h is refused with 429 and Retry-After; it works again once the window rolls', async () => {
    const clock = fakeClock();
    const shop = await startShop(clock);
    const { buyerId, id } = await shop.soldCourse();
    const other = await shop.product('Another course');
    shop.attach(other.id, other.sellerId, {
      name: 'b.txt',
      mime: 'text/plain',
      bytes: lessonText(5),
      compression: 'gzip',
    });
    shop.running.app.orders.transition(
      shop.running.app.orders.create({ buyerId, productId: other.id, method: 'crypto' }).order.id,
      { to: 'paid', actor: 'test' },
    );
    const download = async (productId = id) => {
      const response = await fetch(shop.link(buyerId, productId).url);
      if (response.ok) await response.arrayBuffer();
      return response;
    };

    for (let i = 0; i < 4; i++) expect((await download()).status).toBe(200);
    clock.advance(HOUR);
    for (let i = 0; i < 6; i++) expect((await download()).status).toBe(200);
    clock.advance(HOUR);
    const refused = await download();
    const error = await expectError(refused, 429, 'rate_limited');
    expect(error.details).toMatchObject({ reason: 'download_limit', limit: 10 });
    // The four downloads of the first hour leave the window 22 h from now.
    expect(refused.headers.get('retry-after')).toBe(String(22 * 3600));
    expect(shop.downloadCount()).toBe(10);
    // Each purchase has its own allowance.
    expect((await download(other.id)).status).toBe(200);

    clock.advance(22 * HOUR - 1000);
    expect((await download()).status).toBe(429);
    clock.advance(1000);
    for (let i = 0; i < 4; i++) expect((await download()).status).toBe(200);
    const again = await download();
    expect(again.status).toBe(429);
    expect(again.headers.get('retry-after')).toBe('3600');
  });

  test('DOWNLOAD_LIMIT sets the allowance', async () => {
    const shop = await startShop(fakeClock(), { DOWNLOAD_LIMIT: '2' });
    const { buyerId, id } = await shop.soldCourse();
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await fetch(shop.link(buyerId, id).url);
      await response.arrayBuffer();
      statuses.push(response.status);
    }
    expect(statuses).toEqual([200, 200, 429]);
  });
});

describe('the download key', () => {
  test('is generated on first start (32 random bytes, hex, mode 0600) and reused after a restart: old links still work', async () => {
    const dir = tempDir('techbot-key-');
    cleanups.push(() => dir.cleanup());
    const clock = fakeClock();
    const keyPath = join(dir.path, 'download.key');

    const first = await startShop(clock, {}, dir.path);
    expect(statSync(keyPath).mode & 0o777).toBe(0o600);
    const key = keyOf(dir.path);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    const { buyerId, id, file } = await first.soldCourse();
    const { token } = first.link(buyerId, id);
    await first.stop();

    const second = await startShop(clock, {}, dir.path);
    expect(keyOf(dir.path)).toBe(key);
    const response = await fetch(`${second.running.url}/api/downloads/${token}`);
    expect(response.status).toBe(200);
    expect(sha256(new Uint8Array(await response.arrayBuffer()))).toBe(file.hash);
  });

  test('DOWNLOAD_SECRET replaces the key file; links signed with another key are refused', async () => {
    const clock = fakeClock();
    const shop = await startShop(clock, { DOWNLOAD_SECRET: 's'.repeat(40) });
    expect(existsSync(join(shop.dataDir, 'download.key'))).toBe(false);
    const { buyerId, id, file } = await shop.soldCourse();
    const claims = { buyerId, productId: id, fileId: file.id, expiresAt: clock.now() + HOUR };
    const url = (key: string) => `${shop.running.url}/api/downloads/${signDownloadToken(key, claims)}`;
    expect((await fetch(url('s'.repeat(40)))).status).toBe(200);
    await expectError(await fetch(url('t'.repeat(40))), 403, 'forbidden');
  });

  test('a damaged key file stops the start with a clear message instead of silently changing keys', () => {
    const dir = tempDir('techbot-key-');
    cleanups.push(() => dir.cleanup());
    writeFileSync(join(dir.path, 'download.key'), 'oops\n');
    expect(() => loadDownloadSecret(dir.path)).toThrow(/download\.key does not hold a download key/);
    expect(loadDownloadSecret(dir.path, 'configured-secret-of-32-characters!!')).toBe(
      'configured-secret-of-32-characters!!',
    );
  });
});

describe('GET /api/downloads/{token} in the OpenAPI document', () => {
  test('is public, answers binary, and documents 403, 404, 410 and 429 with the error shape', async () => {
    const shop = await startShop(fakeClock());
    const doc = (await (await fetch(`${shop.running.url}/swagger/json`)).json()) as {
      paths: Record<
        string,
        Record<string, { security?: unknown[]; responses: Record<string, { content?: Record<string, unknown> }> }>
      >;
    };
    const operation = doc.paths['/api/downloads/{token}']?.get;
    expect(operation?.security).toEqual([]);
    // Files are served with the media type found at upload (a PDF as application/pdf ...).
    expect(operation?.responses['200']?.content).toEqual({ '*/*': { schema: { type: 'string', format: 'binary' } } });
    for (const status of ['403', '404', '410', '429']) {
      expect(Object.keys(operation?.responses[status]?.content ?? {})).toEqual(['application/json']);
    }
  });
});
