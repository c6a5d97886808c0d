import { expect, test } from 'bun:test';
import { join } from 'node:path';
import { getTableName, is } from 'drizzle-orm';
import { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { envExample, readmeTable } from '../scripts/config-docs.ts';
import * as schema from '../src/store/schema/index.ts';
import { SCHEMA_OWNERS } from './architecture/owners.ts';

const root = join(import.meta.dir, '..');

test('.env.example documents every variable (regenerate: bun scripts/config-docs.ts env)', async () => {
  expect(await Bun.file(join(root, '.env.example')).text()).toBe(envExample());
});

/** A markdown table as its cells: the formatter pads columns, which changes no cell. */
function tableCells(markdown: string): string {
  return markdown
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .map((line) =>
      line
        .split('|')
        .map((cell) => cell.trim().replace(/^-{3,}$/, '---'))
        .join('|'),
    )
    .join('\n');
}

test('the README configuration table lists every variable with its default', async () => {
  expect(tableCells(await Bun.file(join(root, 'README.md')).text())).toContain(tableCells(readmeTable()));
});

/** Relative links of a markdown file (`[text](path)`) and paths in backticks that climb out (`../x`). */
function localReferences(markdown: string): string[] {
  const links = [...markdown.matchAll(/\]\(([^)#\s]+)[^)]*\)/g)]
    .map((m) => m[1]!)
    .filter((href) => !/^[a-z]+:/i.test(href));
  const climbing = [...markdown.matchAll(/`(\.\.\/[^`\s]*)`/g)].map((m) => m[1]!);
  return [...links, ...climbing];
}

test('the README links docs/architecture.md, and every path it points to is inside the repo and exists', async () => {
  const readme = await Bun.file(join(root, 'README.md')).text();
  const references = localReferences(readme);
  expect(references).toContain('docs/architecture.md');
  for (const path of references) {
    const target = join(root, path);
    expect({ path, inside: target.startsWith(`${root}/`), exists: await Bun.file(target).exists() }).toEqual({
      path,
      inside: true,
      exists: true,
    });
  }
  // The check itself: a link out of the repo is caught.
  expect(localReferences('See [design](../shared/DESIGN.md) and `../shared/DESIGN.md`.')).toEqual([
    '../shared/DESIGN.md',
    '../shared/DESIGN.md',
  ]);
});

test('docs/architecture.md shows each table with the module that owns it (tests/architecture/owners.ts)', async () => {
  const doc = await Bun.file(join(root, 'docs/architecture.md')).text();
  const rows = doc
    .split('\n')
    .filter((line) => line.startsWith('| '))
    .map((line) => line.split('|').map((cell) => cell.trim()));
  for (const [name, value] of Object.entries(schema)) {
    if (!is(value, SQLiteTable)) continue;
    const table = getTableName(value);
    const owner = SCHEMA_OWNERS[name]!;
    const row = rows.find((cells) => cells[2]?.includes(`\`${table}\``));
    const shown = owner.startsWith('(') ? doc.includes(`\`${table}\``) : (row?.[1]?.includes(owner) ?? false);
    expect({ table, owner, shown }).toEqual({ table, owner, shown: true });
  }
});
