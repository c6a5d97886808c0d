/**
 * files.discard: the file of a course never published goes, row and blob (unless another row
 * shares the blob); a file a product carries, another seller's, or an unknown one stays.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { existsSync } from 'node:fs';
import { createApp, type App } from '../../../src/app.ts';
import { createLogger } from '../../../src/lib/logger.ts';
import { blobPath } from '../../../src/modules/files/paths.ts';
import { fakeClock } from '../../support/app.ts';
import { tempDir, testConfig } from '../../support/env.ts';

const dir = tempDir('techbot-discard-');
let app: App;
beforeAll(() => {
  const config = testConfig(dir.path, {});
  app = createApp({ config, logger: createLogger({ level: 'fatal' }), clock: fakeClock(), databasePath: ':memory:' });
});
afterAll(async () => {
  await app.stop();
  dir.cleanup();
});

const pdf = (text: string) => new TextEncoder().encode(`%PDF-1.7\n${text}`);
async function* body(bytes: Uint8Array) {
  yield bytes;
}
function sellerKey() {
  const key = app.apiKeys.create({ role: 'seller', seller_name: `Seller ${Math.random()}` });
  return { role: 'seller' as const, keyId: key.id, sellerId: key.seller_id! };
}
const store = (principal: ReturnType<typeof sellerKey>, bytes: Uint8Array) =>
  app.files.upload({ uploader: { principal }, filename: 'course.pdf', body: body(bytes) });
const blobOf = (id: string) => {
  const row = app.files.get(id)!;
  return blobPath(dir.path, row.sha256, row.compression);
};

test('an unpublished file goes with its blob; a shared blob stays for the other row', async () => {
  const seller = sellerKey();
  const lone = await store(seller, pdf('lone draft'));
  const path = blobOf(lone.file_id);
  expect(existsSync(path)).toBe(true);
  expect(await app.files.discard(lone.file_id, seller.sellerId)).toBe(true);
  expect(app.files.get(lone.file_id)).toBeUndefined();
  expect(existsSync(path)).toBe(false);

  const a = await store(seller, pdf('same bytes'));
  const b = await store(seller, pdf('same bytes'));
  expect(await app.files.discard(a.file_id, seller.sellerId)).toBe(true);
  expect(existsSync(blobOf(b.file_id))).toBe(true);
});

test('a file a product carries, or another seller asking: kept', async () => {
  const seller = sellerKey();
  const other = sellerKey();
  const file = await store(seller, pdf('published'));
  expect(await app.files.discard(file.file_id, other.sellerId)).toBe(false);
  app.catalog.createProduct(seller, {
    title: 'Published course',
    description: 'It carries the file.',
    price_cents: 1000,
    category: 'business',
    file_id: file.file_id,
  });
  expect(await app.files.discard(file.file_id, seller.sellerId)).toBe(false);
  expect(app.files.get(file.file_id)).toBeDefined();
  expect(existsSync(blobOf(file.file_id))).toBe(true);
  expect(await app.files.discard('no-such-file', seller.sellerId)).toBe(false);
});
