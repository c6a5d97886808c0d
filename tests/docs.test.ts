import { expect, test } from 'bun:test';
import { join } from 'node:path';
import { envExample, readmeTable } from '../scripts/config-docs.ts';

const root = join(import.meta.dir, '..');

test('.env.example documents every variable (regenerate: bun scripts/config-docs.ts env)', async () => {
  expect(await Bun.file(join(root, '.env.example')).text()).toBe(envExample());
});

test('the README configuration table lists every variable with its default', async () => {
  expect(await Bun.file(join(root, 'README.md')).text()).toContain(readmeTable());
});
