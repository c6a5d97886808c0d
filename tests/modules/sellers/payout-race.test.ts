/**
 * Ten payout requests for the same balance at the same moment, each from its own process on
 * the same database file (as with `--scale techbot=N`): exactly one reserves the money.
 */
import { expect, test } from 'bun:test';
import { join } from 'node:path';
import { tempDir } from '../../support/env.ts';
import { sellersFixture } from './fixture.ts';

const REQUESTS = 10;

test('10 concurrent payout requests from 10 processes: one pending payout, the others refused', async () => {
  const dir = tempDir('techbot-payout-race-');
  const path = join(dir.path, 'techbot.db');
  const f = sellersFixture(path);
  const seller = f.onboard();
  f.sell(seller.id, 5000);
  f.store.close();

  const children = Array.from({ length: REQUESTS }, () =>
    Bun.spawn([process.execPath, join(import.meta.dir, 'payout-request.ts'), path, String(seller.id)], {
      stdin: 'pipe',
      stdout: 'pipe',
      stderr: 'inherit',
    }),
  );
  const readers = children.map((child) => child.stdout.pipeThrough(new TextDecoderStream()).getReader());
  const nextLine = async (
    reader: { read(): Promise<{ value?: string; done: boolean }> },
    buffered: { text: string },
  ) => {
    while (!buffered.text.includes('\n')) {
      const { value, done } = await reader.read();
      if (done) break;
      buffered.text += value;
    }
    const [line = '', ...rest] = buffered.text.split('\n');
    buffered.text = rest.join('\n');
    return line;
  };
  const buffers = children.map(() => ({ text: '' }));
  expect(await Promise.all(readers.map((r, i) => nextLine(r, buffers[i]!)))).toEqual(Array(REQUESTS).fill('ready'));
  for (const child of children) {
    child.stdin.write('go\n');
    await child.stdin.flush();
  }
  const outcomes = (await Promise.all(readers.map((r, i) => nextLine(r, buffers[i]!)))).map(
    (line) => JSON.parse(line) as { ok: boolean; amount?: number; code?: string },
  );
  await Promise.all(children.map((child) => child.exited));

  expect(outcomes.filter((o) => o.ok)).toEqual([{ ok: true, amount: 4500 }]);
  expect(outcomes.filter((o) => !o.ok).map((o) => o.code)).toEqual(Array(REQUESTS - 1).fill('conflict'));
  const after = sellersFixture(path);
  expect(after.sellers.payouts.history(seller.id)).toHaveLength(1);
  expect(after.sellers.payouts.balance(seller.id)).toMatchObject({ pending_cents: 4500, available_cents: 0 });
  after.store.close();
  dir.cleanup();
}, 30_000);
