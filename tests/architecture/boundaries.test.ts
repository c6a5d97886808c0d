/**
 * The house's boundaries, read from the sources' imports: a module reads and writes only its
 * own tables (what it needs from another comes through that module's service, handed over by
 * app.ts), and the faces (src/http, src/bot) never touch the store or the outbound HTTP client.
 */
import { describe, expect, test } from 'bun:test';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as schema from '../../src/store/schema/index.ts';
import { importsOf, isSchema, ROOT, sourcesUnder, type ImportOf } from './imports.ts';
import { SCHEMA_OWNERS } from './owners.ts';

/** A module folder's imports of schema names it does not own: `file: name (owner)`. */
export function foreignTables(path: string, imports: ImportOf[]): string[] {
  const module = path.split('/')[2];
  return imports
    .filter((i) => isSchema(i.target))
    .flatMap((i) => i.names)
    .filter((name) => SCHEMA_OWNERS[name] !== module)
    .map((name) => `${path}: ${name} (${SCHEMA_OWNERS[name] ?? 'no owner'})`);
}

describe('a module reads and writes only its own tables', () => {
  test('every table and type the schema exports has an owner', () => {
    const types = ['ProductStatus', 'OrderStatus', 'Role'];
    expect([...Object.keys(schema), ...types].filter((name) => !(name in SCHEMA_OWNERS))).toEqual([]);
  });

  test('the check catches a module importing another module’s table, or all of them', () => {
    const bad = `import { eq } from 'drizzle-orm';\nimport { orders, products } from '../../store/schema/index.ts';\nimport * as all from '../../store/schema/catalog.ts';`;
    const path = 'src/modules/orders/bad.ts';
    expect(foreignTables(path, importsOf(path, bad))).toEqual([
      'src/modules/orders/bad.ts: products (catalog)',
      'src/modules/orders/bad.ts: * (no owner)',
    ]);
    const good = `import { orders, type OrderStatus } from '../../store/schema/index.ts';`;
    expect(foreignTables(path, importsOf(path, good))).toEqual([]);
  });

  test('no file under src/modules/<a>/ imports a table of module <b>', () => {
    const found = sourcesUnder('src/modules').flatMap((path) => foreignTables(path, importsOf(path)));
    expect(found).toEqual([]);
  });
});

/** A face's imports of the store's schema, drizzle, or the outbound HTTP client: `file: specifier`. */
export function faceLeaks(path: string, imports: ImportOf[]): string[] {
  return imports
    .filter(
      (i) =>
        i.target === 'drizzle-orm' ||
        i.target.startsWith('drizzle-orm/') ||
        isSchema(i.target) ||
        i.target === 'src/lib/http-client.ts' ||
        i.target.startsWith('src/lib/http-client/'),
    )
    .map((i) => `${path}: ${i.from}`);
}

describe('the faces never touch the store or the outbound HTTP client', () => {
  test('the check catches drizzle, the schema and the HTTP client', () => {
    const bad = `import { eq } from 'drizzle-orm';\nimport { users } from '../../store/schema/users.ts';\nimport { HttpError } from '../../lib/http-client/errors.ts';\nimport type { Catalog } from '../../modules/catalog/service.ts';`;
    const path = 'src/http/routes/bad.ts';
    expect(faceLeaks(path, importsOf(path, bad))).toEqual([
      'src/http/routes/bad.ts: drizzle-orm',
      'src/http/routes/bad.ts: ../../store/schema/users.ts',
      'src/http/routes/bad.ts: ../../lib/http-client/errors.ts',
    ]);
  });

  test('src/http imports none of them', () => {
    expect(sourcesUnder('src/http').flatMap((path) => faceLeaks(path, importsOf(path)))).toEqual([]);
  });

  test('src/bot imports none of them', () => {
    expect(sourcesUnder('src/bot').flatMap((path) => faceLeaks(path, importsOf(path)))).toEqual([]);
  });
});

/** The floors a folder may not import from: arrows point down (main -> app -> http | bot -> modules -> lib -> store). */
const FORBIDDEN: Record<string, string[]> = {
  'src/lib': ['src/modules', 'src/http', 'src/bot', 'src/app'],
  // The texts (Fluent) shared by the bot and the modules know neither.
  'src/locales': ['src/modules', 'src/http', 'src/bot', 'src/app'],
  'src/store': ['src/modules', 'src/http', 'src/bot', 'src/app', 'src/lib'],
  'src/modules': ['src/http', 'src/bot', 'src/app'],
  'src/http': ['src/bot', 'src/app'],
  'src/bot': ['src/http', 'src/app'],
};

/** Imports of `path` (under `folder`) from a floor above it: `file: specifier`. */
function upward(folder: string, path: string, imports: ImportOf[]): string[] {
  const above = FORBIDDEN[folder]!;
  return imports
    .filter((i) => above.some((floor) => i.target === `${floor}.ts` || i.target.startsWith(`${floor}/`)))
    .map((i) => `${path}: ${i.from}`);
}

describe('arrows point down', () => {
  test('the check catches an import from a floor above', () => {
    const bad = `import type { Catalog } from '../modules/catalog/service.ts';\nimport { createApp } from '../app.ts';\nimport { eq } from 'drizzle-orm';`;
    expect(upward('src/lib', 'src/lib/bad.ts', importsOf('src/lib/bad.ts', bad))).toEqual([
      'src/lib/bad.ts: ../modules/catalog/service.ts',
      'src/lib/bad.ts: ../app.ts',
    ]);
  });

  test.each(Object.keys(FORBIDDEN))('%s imports nothing from the floors above it', (folder) => {
    expect(sourcesUnder(folder).flatMap((path) => upward(folder, path, importsOf(path)))).toEqual([]);
  });
});

describe('each module wires itself', () => {
  const modules = readdirSync(join(ROOT, 'src/modules'), { withFileTypes: true }).filter((entry) =>
    entry.isDirectory(),
  );

  test.each(modules.map((entry) => entry.name))('modules/%s/index.ts exports its factory', async (name) => {
    const factory = `create${name[0]!.toUpperCase()}${name.slice(1)}Module`;
    const index = (await import(join(ROOT, 'src/modules', name, 'index.ts'))) as Record<string, unknown>;
    expect(typeof index[factory]).toBe('function');
  });
});
