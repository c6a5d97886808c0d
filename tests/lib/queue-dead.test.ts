/**
 * What an operator does with dead jobs through the queue: list them (newest first, paged by id,
 * with the last error), send one back to ready (it runs again with a fresh attempts budget), or
 * discard it (gone from the counts and the queue_depth gauge; its unique key free again).
 */
import { afterEach, expect, test } from 'bun:test';
import { Registry } from 'prom-client';
import { createLogger } from '../../src/lib/logger.ts';
import { createQueue, PermanentJobError } from '../../src/lib/queue.ts';
import { openStore } from '../../src/store/database.ts';
import { migrate } from '../../src/store/migrate.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function setup() {
  const store = openStore(':memory:');
  migrate(store.db);
  let now = Date.UTC(2026, 11, 7, 12);
  const clock = { now: () => now, advance: (ms: number) => void (now += ms) };
  const registry = new Registry();
  const queue = createQueue({ db: store.db, clock, logger: createLogger({ level: 'silent' }), registry });
  cleanups.push(() => store.close());
  cleanups.push(() => queue.stop(0));
  return { queue, clock, registry };
}

const deadGauge = async (registry: Registry) =>
  Number(/queue_depth\{status="dead"\} (\d+)/.exec(await registry.metrics())?.[1]);

test('a dead job is listed with its last error, retried (runs again, done) or discarded (gone from counts and gauge)', async () => {
  const { queue, clock, registry } = setup();
  let refusing = true;
  const ran: string[] = [];
  queue.register(
    'send',
    (payload) => {
      const { to } = payload as { to: string };
      ran.push(to);
      if (refusing) throw new PermanentJobError(`refused: ${to}`);
    },
    { maxAttempts: 3 },
  );
  const first = queue.enqueue('send', { to: 'a' }, { uniqueKey: 'send:a' });
  clock.advance(1000);
  const second = queue.enqueue('send', { to: 'b' }, { uniqueKey: 'send:b' });
  const kept = queue.enqueue('send', { to: 'c' });
  expect(await queue.runDue()).toMatchObject({ dead: 3 });
  expect(queue.stats().byStatus.dead).toBe(3);
  expect(await deadGauge(registry)).toBe(3);

  const page = queue.list({ status: 'dead', limit: 2 });
  expect(page.map((j) => j.id)).toEqual([kept, second]);
  expect(page[1]).toMatchObject({
    kind: 'send',
    payload: '{"to":"b"}',
    status: 'dead',
    attempts: 1,
    lastError: 'PermanentJobError: refused: b',
  });
  expect(queue.list({ status: 'dead', before: second }).map((j) => j.id)).toEqual([first]);
  expect(queue.list({ status: 'done' })).toEqual([]);

  // Retry: back to ready and due now; it runs again and, the cause gone, ends done.
  refusing = false;
  expect(queue.retryDead(first)).toMatchObject({ status: 'ready', attempts: 1, maxAttempts: 4 });
  expect(queue.retryDead(first)).toBeNull();
  expect(await queue.runDue()).toMatchObject({ succeeded: 1 });
  expect(queue.get(first)).toMatchObject({ status: 'done', attempts: 2 });
  expect(ran).toEqual(['a', 'b', 'c', 'a']);
  expect(queue.retryDead(first)).toBeNull();

  // Discard: deleted, out of the counts and the gauge; its unique key may be used again.
  expect(queue.discardDead(second)).toMatchObject({ id: second, lastError: 'PermanentJobError: refused: b' });
  expect(queue.discardDead(second)).toBeNull();
  expect(queue.get(second)).toBeNull();
  expect(queue.stats().byStatus.dead).toBe(1);
  expect(await deadGauge(registry)).toBe(1);
  expect(queue.byUniqueKey('send:b')).toBeNull();
  expect(queue.enqueue('send', { to: 'b' }, { uniqueKey: 'send:b' })).not.toBe(second);
  expect(queue.byUniqueKey('send:a')).toMatchObject({ id: first, status: 'done' });
});

test("a retried job gets its kind's attempts budget again; an unknown or live job is left alone", async () => {
  const { queue } = setup();
  queue.register('once', () => {
    throw new PermanentJobError('no');
  });
  const id = queue.enqueue('once', null);
  await queue.runDue();
  expect(queue.retryDead(id)).toMatchObject({ maxAttempts: 1 + 5 });
  expect(queue.retryDead(12345)).toBeNull();
  expect(queue.discardDead(id)).toBeNull();
});
