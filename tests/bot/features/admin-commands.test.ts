/**
 * The operator's commands all pass the admin gate: a command an admin feature registers but the
 * gate's list (ADMIN_COMMANDS) forgets would run for anyone.
 */
import { expect, test } from 'bun:test';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ADMIN_COMMANDS } from '../../../src/bot/features/admin.ts';
import { useAdminBot } from '../../support/admin.ts';

const features = join(import.meta.dir, '../../../src/bot/features');
const kit = useAdminBot(778_001, []);

test('every command an admin feature registers is in the gate list', () => {
  const registered = new Set<string>();
  for (const file of readdirSync(features).filter((f) => f.startsWith('admin') && f.endsWith('.ts'))) {
    const source = readFileSync(join(features, file), 'utf8');
    for (const [, name] of source.matchAll(/\.command\(\s*'([a-z_]+)'/g)) registered.add(name!);
    // Commands registered in a loop over [name, ...] pairs (moderation).
    for (const [, name] of source.matchAll(/\[\s*'([a-z_]+)',\s*(?:true|false)\s*\]/g)) registered.add(name!);
  }
  expect(registered.size).toBeGreaterThan(10);
  expect([...registered].filter((name) => !(ADMIN_COMMANDS as readonly string[]).includes(name))).toEqual([]);
});

test('a non-admin is refused every one of them, and nothing is done', async () => {
  const intruder = kit.h.fake.user();
  for (const command of ADMIN_COMMANDS) {
    await intruder.send(`/${command} 1 because`);
    await intruder.waitForMessage(/for the marketplace's administrators only/, { since: 'action' });
  }
  const denied = kit.h.app.admin.audit.list().filter((e) => e.actor === `tg:${intruder.id}`);
  expect(denied.map((e) => e.target).sort()).toEqual(ADMIN_COMMANDS.map((c) => `/${c}`).sort());
  expect(denied.every((e) => e.action === 'access_denied')).toBe(true);
});
