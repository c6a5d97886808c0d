/**
 * The upload page of one-time upload links, GET /upload/{token}: its
 * headers and plain-words refusals over plain HTTP, then the page itself driven by headless
 * Chromium with the outside unreachable: a 30 MB file goes up with a moving progress bar,
 * is stored intact for the seller, and the link is used up.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { blobPath } from '../../src/modules/files/paths.ts';
import { fakeClock, startTestApp, type TestApp } from '../support/app.ts';
import { tempDir } from '../support/env.ts';
import { generatedText, hashBlob } from '../support/upload.ts';

const executablePath = Bun.which('chromium') ?? Bun.which('chromium-browser');
/** Starting Chromium and a throttled 30 MB upload take seconds; Bun's default is 5 s per test. */
const BROWSER_TIMEOUT = 90_000;
if (!executablePath)
  console.warn('Upload page browser tests skipped: no `chromium` on PATH (Debian package `chromium`).');

const MB = 1024 * 1024;
const HOUR = 3600_000;
const ELF = new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, ...new Array(120).fill(0)]);
const PHONE: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
};
const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 } };

const clock = fakeClock();
let running: TestApp;
let dataDir: string;
let seller: { key: string; sellerId: number };
let browser: Browser | undefined;
const work = tempDir('techbot-upload-page-');
/** One fixed place, overwritten by each run, to look at the screenshots after the run. */
const shots = join(tmpdir(), 'techbot-upload-page');

const newLink = () => running.app.files.createUploadLink(seller.sellerId);
const page = (token: string, headers: Record<string, string> = {}) =>
  fetch(`${running.url}/upload/${token}`, { headers });
const uploadWith = (token: string, filename: string, body: Bun.BodyInit) =>
  fetch(`${running.url}/api/upload?filename=${encodeURIComponent(filename)}`, {
    method: 'POST',
    body,
    headers: { 'x-upload-token': token },
  });

beforeAll(async () => {
  running = await startTestApp({ env: { MAX_FILE_SIZE_MB: '100' }, clock });
  dataDir = running.app.store.sqlite.filename.replace(/[/\\]techbot\.db$/, '');
  seller = await running.sellerKey('Ada Academy');
  mkdirSync(shots, { recursive: true });
  if (!executablePath) return;
  browser = await chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    timeout: BROWSER_TIMEOUT,
  });
}, BROWSER_TIMEOUT);
afterAll(async () => {
  await browser?.close();
  await running?.stop();
  work.cleanup();
}, BROWSER_TIMEOUT);

describe('GET /upload/{token} over HTTP', () => {
  test('a live link gets the page, with its security headers, in English or in French', async () => {
    const link = newLink();
    const response = await page(link.token);
    expect(response.status).toBe(200);
    const html = await response.text();
    const headers = Object.fromEntries(response.headers);
    expect(headers['content-type']).toBe('text/html; charset=utf-8');
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['cache-control']).toBe('no-store');
    const nonce = /script-src 'nonce-([A-Za-z0-9+/=]+)'/.exec(headers['content-security-policy'] ?? '')?.[1];
    expect(nonce).toBeDefined();
    expect(headers['content-security-policy']).toContain("default-src 'none'");
    expect(headers['content-security-policy']).toContain("connect-src 'self'");
    // Every script and style carries the nonce; nothing is loaded from anywhere.
    expect(
      html
        .match(/<(script|style)\b(?![^>]*type="application\/json")[^>]*>/g)
        ?.every((tag) => tag.includes(`nonce="${nonce}"`)),
    ).toBe(true);
    expect(html).not.toMatch(/\b(src|href)="(?!data:)/);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('Upload a course file');
    expect(html).toContain('Up to 100\u00a0MB, one file.');
    expect(html).toContain('pdf · epub');
    expect(html).toContain(`"token":"${link.token}"`);

    const french = await page(link.token, { 'accept-language': 'fr-CA,fr;q=0.9,en;q=0.8' });
    expect(french.headers.get('content-language')).toBe('fr');
    const frenchHtml = await french.text();
    expect(frenchHtml).toContain('<html lang="fr">');
    expect(frenchHtml).toContain('Envoyer un fichier de cours');
    expect(frenchHtml).toContain('Jusqu’à 100\u00a0Mo, un seul fichier.');
    const english = await page(link.token, { 'accept-language': 'en-GB,en;q=0.9,fr;q=0.5' });
    expect(english.headers.get('content-language')).toBe('en');
  });

  test('an unknown, a used or an expired link gets a page saying so in plain words (404/410), without a picker', async () => {
    const unknown = await page('no-such-token');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('referrer-policy')).toBe('no-referrer');
    const unknownHtml = await unknown.text();
    expect(unknownHtml).toContain('This upload link is not valid');
    expect(unknownHtml).toContain('Ask the bot in Telegram for a new upload link.');
    expect(unknownHtml).not.toContain('type="file"');
    // A token is never echoed back into the page.
    const hostile = await page(encodeURIComponent('<script>alert(1)</script>'));
    expect(hostile.status).toBe(404);
    expect(await hostile.text()).not.toContain('alert(1)');

    const used = newLink();
    expect((await uploadWith(used.token, 'notes.txt', 'lesson one\n')).status).toBe(201);
    const usedPage = await page(used.token, { 'accept-language': 'fr' });
    expect(usedPage.status).toBe(410);
    expect(await usedPage.text()).toContain('Ce lien d’envoi a déjà été utilisé');

    const expired = newLink();
    clock.advance(HOUR);
    const expiredPage = await page(expired.token);
    expect(expiredPage.status).toBe(410);
    const expiredHtml = await expiredPage.text();
    expect(expiredHtml).toContain('This upload link has expired');
    expect(expiredHtml).not.toContain('type="file"');
  });

  test('is left out of the OpenAPI document', async () => {
    const doc = (await (await fetch(`${running.url}/swagger/json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths).filter((path) => path.startsWith('/upload'))).toEqual([]);
  });
});

/** A browser context that can reach the app only: anything else is refused and recorded. */
async function isolatedContext(options: BrowserContextOptions) {
  const context = await browser!.newContext(options);
  const origin = new URL(running.url).origin;
  const outside: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('data:') || new URL(url).origin === origin) return route.continue();
    outside.push(url);
    return route.abort('blockedbyclient');
  });
  return { context, outside };
}

/**
 * Uncaught errors and console errors (a CSP violation is one) of a page, but for the line
 * Chromium logs for each 4xx answer, which the tests cause on purpose.
 */
function watchErrors(tab: Page): string[] {
  const errors: string[] = [];
  tab.on('pageerror', (error) => errors.push(error.message));
  tab.on('console', (message) => {
    const text = message.text();
    if (
      message.type() === 'error' &&
      !/^Failed to load resource: the server responded with a status of 4\d\d/.test(text)
    )
      errors.push(text);
  });
  return errors;
}

async function screenshot(tab: Page, name: string): Promise<string> {
  const path = join(shots, name);
  await tab.screenshot({ path, fullPage: true });
  return path;
}

/*
 * What runs inside the page is mostly kept as source text: the project compiles without the
 * DOM types. Playwright hands an expression to Chromium as it is (no eval, so the CSP allows it).
 */

/**
 * Waits until the page's progress bar reaches `percent`. A function, not source text: the
 * page's CSP forbids `eval`, which Playwright would use for a string predicate.
 */
function progressReaches(tab: Page, percent: number) {
  type InPage = { document: { getElementById(id: string): { getAttribute(name: string): string | null } | null } };
  return tab.waitForFunction(
    (atLeast) =>
      Number((globalThis as unknown as InPage).document.getElementById('bar')?.getAttribute('aria-valuenow')) >=
      atLeast,
    percent,
  );
}

/** Records every value the progress bar and the speed take, as the page sets them, in `window.seen`. */
const RECORD_PROGRESS = `(() => {
  const seen = (window.seen = { values: [], speeds: [] });
  const bar = document.getElementById('bar');
  const speed = document.getElementById('speed');
  new MutationObserver(() => seen.values.push(bar.getAttribute('aria-valuenow'))).observe(bar, {
    attributes: true,
    attributeFilter: ['aria-valuenow'],
  });
  new MutationObserver(() => seen.speeds.push(speed.textContent)).observe(speed, { childList: true, characterData: true, subtree: true });
})()`;

/** Drops a file made in the page on the drop zone, as a drag from the desktop would. */
async function dropFile(tab: Page, name: string, bytes: number[]) {
  await tab.evaluate(`(() => {
    const file = ${JSON.stringify({ name, bytes })};
    const zone = document.getElementById('drop');
    const transfer = new DataTransfer();
    transfer.items.add(new File([new Uint8Array(file.bytes)], file.name));
    zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  })()`);
}

describe('the upload page in Chromium', () => {
  let context: BrowserContext | undefined;
  afterAll(() => context?.close());

  test.skipIf(!executablePath)(
    'on a phone: a cancelled upload, then a 30 MB file with a moving progress bar and speed, stored intact, and the link used up',
    async () => {
      const isolated = await isolatedContext({ ...PHONE, locale: 'en-US' });
      context = isolated.context;
      const tab = await context.newPage();
      const errors = watchErrors(tab);
      // Upload throttled to 15 MB/s (test side, through the DevTools protocol) so that the
      // progress events of a local upload are spread over about two seconds.
      const cdp = await context.newCDPSession(tab);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: 0,
        downloadThroughput: -1,
        uploadThroughput: 15 * MB,
      });

      const file = join(work.path, 'bitcoin-course-notes.txt');
      const content = generatedText(30 * MB);
      await Bun.write(file, new Response(content.stream));
      const original = content.sha256();

      const link = newLink();
      const opened = await tab.goto(`${running.url}${link.url}`);
      expect(opened?.status()).toBe(200);
      await expect(tab.locator('h1').textContent()).resolves.toBe('Upload a course file');
      await expect(tab.locator('#limits').textContent()).resolves.toBe('Up to 100\u00a0MB, one file.');
      console.log(`Upload page screenshot (phone, ready): ${await screenshot(tab, 'upload-page-phone-ready.png')}`);

      // Cancelled half-way: said in plain words, nothing stored, the link still works.
      await tab.setInputFiles('#file', file);
      await progressReaches(tab, 5);
      await tab.getByRole('button', { name: 'Cancel' }).click();
      await expect(tab.locator('#result.notice h2').textContent()).resolves.toBe('Upload cancelled');
      expect(await tab.locator('#progress').isHidden()).toBe(true);
      expect(running.app.store.sqlite.query('SELECT id FROM files WHERE sha256 = ?').all(original)).toEqual([]);

      await tab.evaluate(RECORD_PROGRESS);
      await tab.setInputFiles('#file', file);
      await tab.locator('#progress').waitFor({ state: 'visible' });
      await progressReaches(tab, 25);
      console.log(
        `Upload page screenshot (phone, uploading): ${await screenshot(tab, 'upload-page-phone-uploading.png')}`,
      );
      await tab.locator('#result.ok').waitFor({ state: 'visible', timeout: BROWSER_TIMEOUT / 2 });
      const seen = await tab.evaluate<{ values: string[]; speeds: string[] }>('window.seen');
      const intermediate = new Set(seen.values.map(Number).filter((value) => value > 0 && value < 100));
      console.log(
        `progress values seen: ${[...new Set(seen.values)].join(', ')}; last speed: ${seen.speeds.findLast(Boolean)}`,
      );
      expect(intermediate.size).toBeGreaterThanOrEqual(3);
      expect(seen.values.map(Number)).toEqual([...seen.values.map(Number)].sort((a, b) => a - b));
      expect(seen.speeds.some((text) => /^\d+(\.\d)?\u00a0MB\/s/.test(text))).toBe(true);

      // biome-ignore lint/performance/useDomNodeTextContent: Playwright's Locator.innerText (rendered text), not the DOM property
      const result = (await tab.locator('#result').innerText()).replace(/\u00a0/g, ' ');
      expect(result).toContain('Stored');
      expect(result).toContain('bitcoin-course-notes.txt');
      expect(result).toContain('30.0 MB');
      console.log(`Upload page screenshot (phone, stored): ${await screenshot(tab, 'upload-page-phone-stored.png')}`);

      // The stored file: one row for this seller, a blob holding exactly the bytes sent.
      const rows = running.app.store.sqlite
        .query('SELECT id, owner_seller_id, original_name, size_bytes, compression FROM files WHERE sha256 = ?')
        .all(original) as {
        id: string;
        owner_seller_id: number;
        original_name: string;
        size_bytes: number;
        compression: 'none' | 'gzip';
      }[];
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        owner_seller_id: seller.sellerId,
        original_name: 'bitcoin-course-notes.txt',
        size_bytes: 30 * MB,
        compression: 'gzip',
      });
      expect(result).toContain(rows[0]!.id);
      expect(await hashBlob(blobPath(dataDir, original, 'gzip'), 'gzip')).toEqual({ sha256: original, size: 30 * MB });

      // The same link a second time: used up, said in plain words, no picker.
      const again = await tab.goto(`${running.url}/upload/${link.token}`);
      expect(again?.status()).toBe(410);
      await expect(tab.locator('#result h2').textContent()).resolves.toBe('This upload link was already used');
      expect(await tab.locator('#file').count()).toBe(0);

      expect(isolated.outside).toEqual([]);
      expect(errors).toEqual([]);
    },
    BROWSER_TIMEOUT,
  );

  test.skipIf(!executablePath)(
    'on a desktop, in French: drag and drop, refusals in plain words, and an unknown link',
    async () => {
      const isolated = await isolatedContext({ ...DESKTOP, locale: 'fr-FR' });
      const tab = await isolated.context.newPage();
      const errors = watchErrors(tab);
      try {
        const link = newLink();
        await tab.goto(`${running.url}/upload/${link.token}`);
        await expect(tab.locator('h1').textContent()).resolves.toBe('Envoyer un fichier de cours');
        console.log(
          `Upload page screenshot (desktop, ready): ${await screenshot(tab, 'upload-page-desktop-ready.png')}`,
        );

        // Refused by the page itself: a program, before any byte is sent.
        await dropFile(tab, 'setup.exe', [0x4d, 0x5a, 0, 0]);
        await expect(tab.locator('#result.error h2').textContent()).resolves.toBe(
          'Ce type de fichier n’est pas accepté',
        );
        // Refused by the server: a .pdf that is an ELF program; the link still works after.
        await dropFile(tab, 'cours.pdf', [...ELF]);
        await tab.locator('#result.error').getByText('ELF executable').waitFor();
        await expect(tab.locator('#result h2').textContent()).resolves.toBe('Ce type de fichier n’est pas accepté');
        console.log(
          `Upload page screenshot (desktop, refused): ${await screenshot(tab, 'upload-page-desktop-refused.png')}`,
        );

        const notes = new TextEncoder().encode('Leçon 1 : les portefeuilles.\n'.repeat(200));
        await dropFile(tab, 'leçon 1 & intro.md', [...notes]);
        await tab.locator('#result.ok').waitFor();
        // biome-ignore lint/performance/useDomNodeTextContent: Playwright's Locator.innerText (rendered text), not the DOM property
        const stored = (await tab.locator('#result').innerText()).replace(/\u00a0/g, ' ');
        expect(stored).toContain('Enregistré');
        expect(stored).toContain('leçon 1 & intro.md');
        expect(stored).toContain(`${(notes.length / 1024).toFixed(1).replace('.', ',')} Ko`);
        expect(await tab.locator('#picker').isHidden()).toBe(true);

        const unknown = await tab.goto(`${running.url}/upload/not-a-real-token`);
        expect(unknown?.status()).toBe(404);
        await expect(tab.locator('#result h2').textContent()).resolves.toBe('Ce lien d’envoi n’est pas valide');
        console.log(
          `Upload page screenshot (desktop, unknown link): ${await screenshot(tab, 'upload-page-desktop-unknown.png')}`,
        );

        expect(isolated.outside).toEqual([]);
        expect(errors).toEqual([]);
      } finally {
        await isolated.context.close();
      }
    },
    BROWSER_TIMEOUT,
  );
});
