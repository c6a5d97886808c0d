import { afterEach, beforeEach, expect, test } from 'bun:test';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { OpenAPI3 } from 'openapi-typescript';
import { startTestApp, type TestApp } from '../support/app.ts';
import { repoRoot, runCommand } from '../support/process.ts';

/**
 * What the OpenAPI document is for: a client typed from the served document compiles
 * (tsc) and works against the live app. The generated files go under tests/.tmp/ (git
 * ignored, and outside the project's tsc include) so `openapi-fetch` resolves from the
 * repository's node_modules.
 */

const EXISTING = 250;
const PAGE_SIZE = 37;

/** The client a user of the API would write, typed by the generated `paths`. */
const clientSource = `import createClient from 'openapi-fetch';
import type { paths } from './api.ts';

const baseUrl = process.env.APP_URL;
const sellerKey = process.env.SELLER_KEY;
if (!baseUrl || !sellerKey) throw new Error('APP_URL and SELLER_KEY are required');

const client = createClient<paths>({ baseUrl });

function fail(message: string): never {
  throw new Error(message);
}

const categories = await client.GET('/api/categories');
if (!categories.data) fail(\`categories: \${categories.response.status}\`);
const category = categories.data[0] ?? fail('no category');

const created = await client.POST('/api/products', {
  headers: { authorization: \`Bearer \${sellerKey}\` },
  body: {
    title: 'Typed client course',
    description: 'Created through a client generated from the OpenAPI document.',
    price_cents: 4900,
    category: category.slug,
  },
});
if (created.response.status !== 201 || !created.data) fail(\`create: \${created.response.status} \${JSON.stringify(created.error)}\`);
const id: string = created.data.id;

const read = await client.GET('/api/products/{id}', { params: { path: { id } } });
if (!read.data) fail(\`read back: \${read.response.status}\`);
const product: { id: string; price_cents: number; status: 'active' | 'inactive' | 'banned' } = read.data;
if (product.id !== id || product.price_cents !== 4900) fail(\`read back a different product: \${JSON.stringify(product)}\`);

const ids: string[] = [];
let cursor: string | undefined;
let pages = 0;
do {
  const page = await client.GET('/api/products', { params: { query: { limit: ${PAGE_SIZE}, cursor } } });
  if (!page.data) fail(\`page \${pages + 1}: \${page.response.status} \${JSON.stringify(page.error)}\`);
  if (page.data.items.length > ${PAGE_SIZE}) fail(\`page \${pages + 1} has \${page.data.items.length} items\`);
  ids.push(...page.data.items.map((item) => item.id));
  cursor = page.data.next_cursor ?? undefined;
  pages += 1;
  if (pages > 1000) fail('the cursor never ends');
} while (cursor !== undefined);

const duplicates = ids.filter((value, index) => ids.indexOf(value) !== index);
if (duplicates.length > 0) fail(\`duplicates across pages: \${duplicates.join(', ')}\`);

console.log(JSON.stringify({ created: id, categories: categories.data.length, pages, ids }));

/** Never called: tsc rejects an unused @ts-expect-error, so each line proves the types bite. */
export function typeChecks() {
  // @ts-expect-error not a path of the API
  void client.GET('/api/nowhere', {});
  // @ts-expect-error price_cents is an integer, not a string
  void client.POST('/api/products', { body: { title: 'abc', description: 'long enough', price_cents: '49', category: 'x' } });
  // @ts-expect-error sort is one of the documented orders
  void client.GET('/api/products', { params: { query: { sort: 'cheapest' } } });
  // @ts-expect-error the product id is a path parameter
  void client.GET('/api/products/{id}', {});
}
`;

const tsconfig = {
  compilerOptions: {
    target: 'ESNext',
    module: 'Preserve',
    moduleResolution: 'bundler',
    lib: ['ESNext'],
    types: ['bun'],
    strict: true,
    noUncheckedIndexedAccess: true,
    skipLibCheck: true,
    allowImportingTsExtensions: true,
    verbatimModuleSyntax: true,
    noEmit: true,
  },
  files: ['client.ts', 'api.ts'],
};

const run = (cwd: string, command: string[], env: Record<string, string> = {}) => runCommand(command, env, cwd);

let running: TestApp;
let dir: string;
beforeEach(async () => {
  running = await startTestApp();
  mkdirSync(join(repoRoot, 'tests/.tmp'), { recursive: true });
  dir = mkdtempSync(join(repoRoot, 'tests/.tmp/typed-client-'));
});
afterEach(async () => {
  await running.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('a client generated from /swagger/json type-checks and pages through every product exactly once', async () => {
  const { default: openapiTS, astToString } = await import('openapi-typescript');
  const doc = (await (await fetch(`${running.url}/swagger/json`)).json()) as OpenAPI3;
  await Bun.write(join(dir, 'api.ts'), astToString(await openapiTS(doc)));
  await Bun.write(join(dir, 'client.ts'), clientSource);
  await Bun.write(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));

  const seller = await running.sellerKey('Typed Client Academy');
  const expected = new Set<string>();
  for (let i = 0; i < EXISTING; i++) {
    const product = running.app.catalog.createProduct(
      { role: 'seller', keyId: 'x', sellerId: seller.sellerId },
      {
        title: `Course number ${i}`,
        description: `Lesson plan number ${i}, with exercises.`,
        price_cents: 100 + ((i * 7919) % 53) * 25, // varied, with ties
        category: i % 2 === 0 ? 'finance-crypto' : 'developpement',
      },
    );
    expected.add(product.id);
  }

  const [typecheck, client] = await Promise.all([
    run(dir, [process.execPath, join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json')]),
    run(dir, [process.execPath, join(dir, 'client.ts')], { APP_URL: running.url, SELLER_KEY: seller.key }),
  ]);
  expect({ code: typecheck.code, output: typecheck.stdout + typecheck.stderr }).toEqual({ code: 0, output: '' });
  expect({ code: client.code, stderr: client.stderr }).toEqual({ code: 0, stderr: '' });

  const result = JSON.parse(client.stdout) as { created: string; categories: number; pages: number; ids: string[] };
  expect(result.categories).toBeGreaterThan(0);
  expected.add(result.created);
  expect(result.ids.length).toBe(EXISTING + 1);
  expect(new Set(result.ids).size).toBe(result.ids.length);
  expect(new Set(result.ids)).toEqual(expected);
  expect(result.pages).toBe(Math.ceil((EXISTING + 1) / PAGE_SIZE));
}, 60_000);
