import { afterAll, beforeAll, expect, test } from 'bun:test';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app.ts';

const executablePath = Bun.which('chromium') ?? Bun.which('chromium-browser');
/** Starting Chromium and rendering a 1.5 MB bundle can take seconds on a loaded machine. */
const BROWSER_TIMEOUT = 60_000;
if (!executablePath) console.warn('Swagger UI test skipped: no `chromium` on PATH (Debian package `chromium`).');

let running: TestApp;
let browser: Browser;
beforeAll(async () => {
  if (!executablePath) return;
  running = await startTestApp();
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
}, BROWSER_TIMEOUT);

test.skipIf(!executablePath)(
  'Swagger UI renders the catalog operations with the outside unreachable',
  async () => {
    const origin = new URL(running.url).origin;
    const context = await browser.newContext();
    const outside: string[] = [];
    // Only the app itself is reachable: anything else is refused and recorded.
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (new URL(url).origin === origin) return route.continue();
      outside.push(url);
      return route.abort('blockedbyclient');
    });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));

    const response = await page.goto(`${running.url}/swagger`, { timeout: BROWSER_TIMEOUT / 2 });
    expect(response?.status()).toBe(200);
    await page
      .locator('.opblock', { hasText: '/api/products' })
      .first()
      .waitFor({ state: 'visible', timeout: BROWSER_TIMEOUT / 2 });

    const operations = await page
      .locator('.opblock')
      .evaluateAll((blocks) =>
        blocks.map((block) =>
          [block.querySelector('.opblock-summary-method'), block.querySelector('.opblock-summary-path')]
            .map((el) => el?.textContent?.replace(/\u200b/g, '').trim())
            .join(' '),
        ),
      );
    expect(operations).toEqual(
      expect.arrayContaining([
        'GET /api/categories',
        'GET /api/products',
        'POST /api/products',
        'GET /api/products/{id}',
        'PATCH /api/products/{id}',
        'DELETE /api/products/{id}',
        'GET /api/products/{id}/reviews',
      ]),
    );
    await expect(page.locator('.info .title').first().textContent()).resolves.toContain('TechBot Marketplace API');

    // One fixed place, overwritten by each run, to look at after the run.
    const dir = join(tmpdir(), 'techbot-swagger-ui');
    mkdirSync(dir, { recursive: true });
    const screenshot = join(dir, 'swagger-ui.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    console.log(`Swagger UI screenshot: ${screenshot}`);

    expect(outside).toEqual([]);
    expect(pageErrors).toEqual([]);
    await context.close();
  },
  BROWSER_TIMEOUT,
);
