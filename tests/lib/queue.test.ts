import { afterEach, describe, expect, test } from 'bun:test';
import { eq } from 'drizzle-orm';
import fc from 'fast-check';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { createLogger } from '../../src/lib/logger.ts';
import { createQueue, PermanentJobError, type JobKinds, type QueueOptions } from '../../src/lib/queue.ts';
import { backoffDelay } from '../../src/lib/queue/retry.ts';
import { openStore, type Store } from '../../src/store/database.ts';
import { migrate } from '../../src/store/migrate.ts';
import { jobs } from '../../src/store/schema/index.ts';
import { tempDir } from '../support/env.ts';

const T0 = Date.UTC(2026, 10, 24, 12, 0, 10); // 10 s into a minute
const MINUTE = 60_000;
const srcDir = join(import.meta.dir, '../../src');

function fakeClock(t = T0) {
  return {
    t,
    now() {
      return this.t;
    },
    advance(ms: number) {
      this.t += ms;
    },
  };
}

/** A promise the test settles by hand. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((res) => (resolve = res));
  return { promise, resolve };
}

/** Lets the event loop turn (setImmediate callbacks run); no timer, no sleep. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function store(path = ':memory:'): Store {
  const s = openStore(path);
  migrate(s.db);
  cleanups.push(() => s.close());
  return s;
}

/** A file database shared by several connections, as several processes would share it. */
function sharedFile(): string {
  const dir = tempDir('techbot-queue-');
  cleanups.push(dir.cleanup);
  const path = join(dir.path, 'queue.db');
  store(path);
  return path;
}

function queueOn<K extends JobKinds = JobKinds>(s: Store, clock = fakeClock(), extra: Partial<QueueOptions> = {}) {
  const queue = createQueue<K>({ db: s.db, clock, logger: createLogger({ level: 'silent' }), ...extra });
  cleanups.push(() => queue.stop(0));
  return queue;
}

function setup<K extends JobKinds = JobKinds>(extra: Partial<QueueOptions> = {}) {
  const s = store();
  const clock = fakeClock();
  return { s, clock, queue: queueOn<K>(s, clock, extra) };
}

const row = (s: Store, id: number) => s.db.select().from(jobs).where(eq(jobs.id, id)).get()!;
const allJobs = (s: Store) => s.db.select().from(jobs).all();

describe('enqueue and runDue', () => {
  test('runs the handler once with the payload and marks the job done', async () => {
    const { s, clock, queue } = setup();
    const seen: unknown[] = [];
    queue.register('greet', (payload, job) => void seen.push([payload, job.kind, job.attempts]));
    const id = queue.enqueue('greet', { name: 'Ada', n: 1 });

    expect(await queue.runDue()).toEqual({ ran: 1, succeeded: 1, failed: 0, dead: 0 });
    expect(seen).toEqual([[{ name: 'Ada', n: 1 }, 'greet', 1]]);
    expect(row(s, id)).toMatchObject({ status: 'done', attempts: 1, finishedAt: clock.now(), leaseUntil: null });
    expect(await queue.runDue()).toEqual({ ran: 0, succeeded: 0, failed: 0, dead: 0 });
  });

  test('a job is not run before its runAt, nor by a queue that does not handle its kind', async () => {
    const { clock, queue } = setup();
    let runs = 0;
    queue.register('later', () => void runs++);
    queue.enqueue('later', null, { runAt: clock.now() + 5000 });
    queue.enqueue('unhandled', null);
    expect((await queue.runDue()).ran).toBe(0);
    clock.advance(5000);
    expect((await queue.runDue()).ran).toBe(1);
    expect(runs).toBe(1);
    expect(queue.stats().byKind.unhandled).toEqual({ ready: 1, running: 0, done: 0, dead: 0 });
  });

  test('a unique key dedupes: the existing id comes back and the job runs once', async () => {
    const { s, queue } = setup();
    let runs = 0;
    queue.register('mail', () => void runs++);
    const first = queue.enqueue('mail', { to: 'a' }, { uniqueKey: 'mail:order-1' });
    expect(queue.enqueue('mail', { to: 'b' }, { uniqueKey: 'mail:order-1' })).toBe(first);
    await queue.runDue();
    expect(queue.enqueue('mail', { to: 'c' }, { uniqueKey: 'mail:order-1' })).toBe(first);
    await queue.runDue();
    expect(runs).toBe(1);
    expect(allJobs(s)).toHaveLength(1);
    expect(JSON.parse(row(s, first).payload)).toEqual({ to: 'a' });
  });

  test('enqueue inside a transaction: rolled back leaves no job, committed leaves one', () => {
    const { s, queue } = setup();
    expect(() =>
      s.db.transaction((tx) => {
        queue.enqueue('deliver', { order: 1 }, { tx });
        throw new Error('payment write failed');
      }),
    ).toThrow('payment write failed');
    expect(allJobs(s)).toHaveLength(0);

    const id = s.db.transaction((tx) => queue.enqueue('deliver', { order: 2 }, { tx, uniqueKey: 'deliver:2' }));
    expect(allJobs(s).map((j) => j.id)).toEqual([id]);
  });
});

describe('failures', () => {
  test('retries with growing backoff, then dead after maxAttempts with last_error kept', async () => {
    const { s, clock, queue } = setup({ random: () => 0.5 });
    let calls = 0;
    queue.register(
      'flaky',
      () => {
        throw new Error(`boom ${++calls}`);
      },
      { maxAttempts: 4, backoff: { baseMs: 1000, maxMs: 3000 } },
    );
    const id = queue.enqueue('flaky', {});

    // Ceilings 1000, 2000, min(3000, 4000) = 3000; random 0.5 takes half of each.
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      expect(await queue.runDue()).toEqual({ ran: 1, succeeded: 0, failed: 1, dead: 0 });
      const job = row(s, id);
      expect(job).toMatchObject({ status: 'ready', attempts: attempt, lastError: `Error: boom ${attempt}` });
      const delay = job.runAt - clock.now();
      delays.push(delay);
      clock.advance(delay - 1);
      expect((await queue.runDue()).ran).toBe(0); // not due a millisecond early
      clock.advance(1);
    }
    expect(delays).toEqual([500, 1000, 1500]);

    expect(await queue.runDue()).toEqual({ ran: 1, succeeded: 0, failed: 0, dead: 1 });
    expect(row(s, id)).toMatchObject({
      status: 'dead',
      attempts: 4,
      lastError: 'Error: boom 4',
      finishedAt: clock.now(),
    });
    clock.advance(MINUTE);
    expect((await queue.runDue()).ran).toBe(0);
    expect(queue.stats().byStatus.dead).toBe(1);
  });

  test('full jitter stays within [0, min(max, base * 2^(attempts-1))]', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 1, max: 100 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (baseMs, maxMs, attempts, r) => {
          const delay = backoffDelay({ baseMs, maxMs }, attempts, () => r);
          expect(Number.isInteger(delay)).toBe(true);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThanOrEqual(Math.min(maxMs, baseMs * 2 ** (attempts - 1)));
        },
      ),
    );
  });

  test('PermanentJobError sends the job to dead at once', async () => {
    const { s, queue } = setup();
    queue.register(
      'notify',
      () => {
        throw new PermanentJobError('bot was blocked by the user');
      },
      { maxAttempts: 10 },
    );
    const id = queue.enqueue('notify', { chat: 42 });
    expect(await queue.runDue()).toEqual({ ran: 1, succeeded: 0, failed: 0, dead: 1 });
    expect(row(s, id)).toMatchObject({
      status: 'dead',
      attempts: 1,
      lastError: 'PermanentJobError: bot was blocked by the user',
    });
  });
});

describe('leases and crashes', () => {
  test('a worker hung past its lease: the job runs again elsewhere, the stale outcome is dropped', async () => {
    const s = store();
    const clock = fakeClock();
    const crashed = queueOn(s, clock, { leaseMs: 30_000 });
    const healthy = queueOn(s, clock, { leaseMs: 30_000 });
    const hang = deferred();
    crashed.register('deliver', () => hang.promise);
    const ranBy: string[] = [];
    healthy.register('deliver', (_payload, job) => void ranBy.push(`healthy, attempt ${job.attempts}`));
    const id = crashed.enqueue('deliver', { order: 7 });

    const stale = crashed.runDue(); // claims synchronously, then waits on the handler forever
    expect(row(s, id)).toMatchObject({ status: 'running', attempts: 1, leaseUntil: T0 + 30_000 });
    expect((await healthy.runDue()).ran).toBe(0);
    clock.advance(30_000);
    expect((await healthy.runDue()).ran).toBe(0); // lease_until < now is required
    clock.advance(1);
    expect(await healthy.runDue()).toEqual({ ran: 1, succeeded: 1, failed: 0, dead: 0 });
    expect(ranBy).toEqual(['healthy, attempt 2']);

    hang.resolve(); // the stale worker comes back: it must not overwrite anything
    expect(await stale).toEqual({ ran: 1, succeeded: 0, failed: 0, dead: 0 });
    expect(row(s, id)).toMatchObject({ status: 'done', attempts: 2, finishedAt: T0 + 30_001 });
  });

  test('a running job with an expired lease is taken again; if that was its last attempt, it goes dead', async () => {
    const { s, clock, queue } = setup();
    let runs = 0;
    queue.register('job', () => void runs++);
    const retried = queue.enqueue('job', {}, { maxAttempts: 3 });
    const exhausted = queue.enqueue('job', {}, { maxAttempts: 1 });
    const expired = { status: 'running' as const, attempts: 1, leaseUntil: clock.now() - 1 };
    s.db.update(jobs).set(expired).where(eq(jobs.id, retried)).run();
    s.db.update(jobs).set(expired).where(eq(jobs.id, exhausted)).run();

    expect(await queue.runDue()).toEqual({ ran: 1, succeeded: 1, failed: 0, dead: 1 });
    expect(runs).toBe(1);
    expect(row(s, retried)).toMatchObject({ status: 'done', attempts: 2 });
    expect(row(s, exhausted)).toMatchObject({ status: 'dead', attempts: 1 });
    expect(row(s, exhausted).lastError).toContain('lease expired');
  });

  test('a process SIGKILLed mid-handler leaves the job running; after the lease another worker runs it', async () => {
    const path = sharedFile();
    const s = store(path);
    const clock = fakeClock(Date.now());
    const id = queueOn(s, clock).enqueue('slow', { file: 'course.pdf' });

    const child = Bun.spawn(
      [
        process.execPath,
        '-e',
        `
        import { openStore } from ${JSON.stringify(join(srcDir, 'store/database.ts'))};
        import { createLogger } from ${JSON.stringify(join(srcDir, 'lib/logger.ts'))};
        import { createQueue } from ${JSON.stringify(join(srcDir, 'lib/queue.ts'))};
        const { db } = openStore(process.env.QUEUE_DB);
        const logger = createLogger({ level: 'silent' });
        const queue = createQueue({ db, clock: { now: () => Date.now() }, logger });
        const started = (_p, job) => (console.log('started ' + job.id), new Promise(() => {}));
        queue.register('slow', started, { leaseMs: 60000 });
        queue.start();
        setInterval(() => {}, 1000);
        `,
      ],
      { env: { ...process.env, QUEUE_DB: path }, stdout: 'pipe', stderr: 'pipe' },
    );
    cleanups.push(() => child.kill('SIGKILL'));
    expect(await readUntil(child.stdout, /started (\d+)/)).toBe(String(id));
    child.kill('SIGKILL');
    expect(await child.exited).not.toBe(0);

    const left = row(s, id);
    expect(left).toMatchObject({ status: 'running', attempts: 1 });
    expect(left.leaseUntil!).toBeGreaterThan(clock.now());

    const survivor = queueOn<{ slow: { file: string } }>(s, clock);
    const files: string[] = [];
    survivor.register('slow', (payload) => void files.push(payload.file));
    expect((await survivor.runDue()).ran).toBe(0);
    clock.t = left.leaseUntil! + 1;
    expect(await survivor.runDue()).toEqual({ ran: 1, succeeded: 1, failed: 0, dead: 0 });
    expect(files).toEqual(['course.pdf']);
    expect(row(s, id)).toMatchObject({ status: 'done', attempts: 2 });
  });
});

describe('several workers on one database', () => {
  test('two queue instances started on the same file run each of 50 jobs exactly once', async () => {
    const path = sharedFile();
    const clock = fakeClock();
    const runs = new Map<number, number>();
    const allRan = deferred();
    const queues = [store(path), store(path)].map((s) => {
      const queue = queueOn(s, clock, { pollMs: 5 });
      queue.register(
        'work',
        async (_payload, job) => {
          runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
          await turn(); // hold the slot while the other instance claims
          if (runs.size === 50) allRan.resolve();
        },
        { concurrency: 4 },
      );
      return queue;
    });
    for (const queue of queues) queue.start();
    const ids = Array.from({ length: 50 }, (_, i) => queues[i % 2]!.enqueue('work', { i }));

    await allRan.promise;
    expect(await Promise.all(queues.map((q) => q.stop()))).toEqual([true, true]);
    expect([...runs.keys()].sort((a, b) => a - b)).toEqual(ids);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    expect(queues[0]!.stats().byStatus).toEqual({ ready: 0, running: 0, done: 50, dead: 0 });
  });

  test('two processes racing on 300 jobs run each exactly once', async () => {
    const path = sharedFile();
    const s = store(path);
    const seed = queueOn(s, fakeClock(Date.now() - MINUTE));
    const ids = Array.from({ length: 300 }, (_, i) => seed.enqueue('work', { i }));

    const workers = ['a', 'b'].map((name) => {
      const proc = Bun.spawn(
        [
          process.execPath,
          '-e',
          `
          import { openStore } from ${JSON.stringify(join(srcDir, 'store/database.ts'))};
          import { createLogger } from ${JSON.stringify(join(srcDir, 'lib/logger.ts'))};
          import { createQueue } from ${JSON.stringify(join(srcDir, 'lib/queue.ts'))};
          const { db } = openStore(process.env.QUEUE_DB);
          const logger = createLogger({ level: 'silent' });
          const queue = createQueue({ db, clock: { now: () => Date.now() }, logger });
          const ran = [];
          queue.register('work', async (_p, job) => { ran.push(job.id); await Promise.resolve(); });
          console.log('ready');
          for await (const _ of Bun.stdin.stream()) break;
          await queue.runDue();
          console.log('ran ' + JSON.stringify(ran));
          process.exit(0);
          `,
        ],
        { env: { ...process.env, QUEUE_DB: path }, stdin: 'pipe', stdout: 'pipe', stderr: 'pipe' },
      );
      cleanups.push(() => proc.kill('SIGKILL'));
      return { name, proc, stdout: lines(proc.stdout) };
    });
    for (const w of workers) expect(await w.stdout.next(/ready/)).toBe('ready');
    for (const w of workers) {
      w.proc.stdin.write('go\n');
      await w.proc.stdin.flush();
    }
    const ran = await Promise.all(workers.map(async (w) => JSON.parse(await w.stdout.next(/^ran (.*)$/)) as number[]));
    for (const w of workers) expect(await w.proc.exited).toBe(0);

    const all = ran.flat().sort((a, b) => a - b);
    expect(all).toEqual(ids);
    expect(s.db.select().from(jobs).where(eq(jobs.status, 'done')).all()).toHaveLength(300);
    expect(allJobs(s).every((j) => j.attempts === 1)).toBe(true);
    // Two processes starting and draining 300 jobs: seconds on a busy machine.
  }, 30_000);
});

describe('schedule', () => {
  test('two instances never enqueue a slot twice; each slot runs once and enqueues the next', async () => {
    const path = sharedFile();
    const clock = fakeClock();
    const s = store(path);
    const ticks: number[] = [];
    const [a, b] = [s, store(path)].map((db) => {
      const queue = queueOn(db, clock);
      queue.register('reconcile-payments', (_payload, job) => void ticks.push(job.runAt));
      return queue;
    });
    const slot = Math.floor(T0 / MINUTE) * MINUTE;
    const first = a!.schedule('reconcile-payments', MINUTE, { scope: 'all' });
    expect(b!.schedule('reconcile-payments', MINUTE, { scope: 'all' })).toBe(first);
    expect(allJobs(s).map((j) => [j.uniqueKey, j.runAt])).toEqual([[`schedule:reconcile-payments:${slot}`, slot]]);

    const r1 = await Promise.all([a!.runDue(), b!.runDue()]);
    expect(r1[0].ran + r1[1].ran).toBe(1);
    // A restart in the same slot schedules nothing new.
    expect(queueOn(store(path), clock).schedule('reconcile-payments', MINUTE, { scope: 'all' })).toBe(first);
    expect(allJobs(s).map((j) => [j.uniqueKey, j.status])).toEqual([
      [`schedule:reconcile-payments:${slot}`, 'done'],
      [`schedule:reconcile-payments:${slot + MINUTE}`, 'ready'],
    ]);

    clock.advance(MINUTE - 10_000 - 1);
    expect((await b!.runDue()).ran).toBe(0);
    clock.advance(1);
    const r2 = await Promise.all([b!.runDue(), a!.runDue()]);
    expect(r2[0].ran + r2[1].ran).toBe(1);
    expect(ticks).toEqual([slot, slot + MINUTE]);
    expect(allJobs(s)).toHaveLength(3);
    expect(JSON.parse(allJobs(s)[2]!.payload)).toEqual({ scope: 'all' });
  });

  test('a dead scheduled job still enqueues the next slot; missed slots are skipped', async () => {
    const { s, clock, queue } = setup();
    queue.register('expire-orders', () => {
      throw new PermanentJobError('broken');
    });
    queue.schedule('expire-orders', MINUTE);
    clock.advance(5 * MINUTE); // the process was busy elsewhere for five minutes
    expect(await queue.runDue()).toEqual({ ran: 1, succeeded: 0, failed: 0, dead: 1 });
    const next = allJobs(s).find((j) => j.status === 'ready')!;
    expect(next.runAt).toBe((Math.floor(clock.now() / MINUTE) + 1) * MINUTE);
  });
});

describe('start and stop', () => {
  test('start() wakes on enqueue, without waiting for the poll interval', async () => {
    const { s, queue } = setup({ pollMs: 3_600_000 });
    const ran = deferred<number>();
    queue.register('ping', (_payload, job) => ran.resolve(job.id));
    queue.start(); // the first pass finds nothing; the next poll is an hour away
    const id = queue.enqueue('ping', {});
    expect(await ran.promise).toBe(id);
    await queue.stop();
    expect(row(s, id).status).toBe('done');
  });

  test('enqueue inside a transaction wakes the worker once committed', async () => {
    const { s, queue } = setup({ pollMs: 3_600_000 });
    const ran = deferred<unknown>();
    queue.register('deliver', (payload) => ran.resolve(payload));
    queue.start();
    s.db.transaction((tx) => queue.enqueue('deliver', { order: 9 }, { tx }));
    expect(await ran.promise).toEqual({ order: 9 });
  });

  test('stop() waits for the handler in flight and claims nothing more', async () => {
    const { s, queue } = setup({ pollMs: 3_600_000 });
    const started = deferred();
    const release = deferred();
    queue.register('upload', async () => {
      started.resolve();
      await release.promise;
    });
    queue.start();
    const first = queue.enqueue('upload', {});
    await started.promise;

    let stopped = false;
    const stopping = queue.stop().then((drained) => ((stopped = true), drained));
    const second = queue.enqueue('upload', {});
    for (let i = 0; i < 5; i++) await turn();
    expect(stopped).toBe(false);
    expect(row(s, first).status).toBe('running');

    release.resolve();
    expect(await stopping).toBe(true);
    expect(row(s, first).status).toBe('done');
    expect(row(s, second).status).toBe('ready');
  });

  test('stop() gives up after its timeout; the job keeps its lease', async () => {
    const { s, queue } = setup({ pollMs: 3_600_000 });
    const started = deferred();
    queue.register('stuck', () => (started.resolve(), new Promise(() => {})));
    queue.start();
    const id = queue.enqueue('stuck', {});
    await started.promise;
    expect(await queue.stop(0)).toBe(false);
    expect(row(s, id)).toMatchObject({ status: 'running', attempts: 1 });
  });

  test('per-kind concurrency bounds the handlers running at once', async () => {
    const { queue } = setup<{ compress: { i: number } }>({ pollMs: 3_600_000 });
    const gates = Array.from({ length: 5 }, () => deferred());
    const started: number[] = [];
    let running = 0;
    let peak = 0;
    const allStarted = deferred();
    queue.register(
      'compress',
      async ({ i }) => {
        started.push(i);
        peak = Math.max(peak, ++running);
        if (started.length === 5) allStarted.resolve();
        await gates[i]!.promise;
        running--;
      },
      { concurrency: 2 },
    );
    queue.start();
    for (let i = 0; i < 5; i++) queue.enqueue('compress', { i });
    for (let i = 0; i < 5; i++) await turn();
    expect(started).toEqual([0, 1]);
    for (const gate of gates) gate.resolve();
    await allStarted.promise;
    await queue.stop();
    expect(peak).toBe(2);
  });
});

describe('stats and metrics', () => {
  test('stats() counts by status and kind and ages the oldest due ready job', async () => {
    const { clock, queue } = setup();
    queue.register('a', () => {});
    queue.enqueue('a', {});
    queue.enqueue('a', {});
    queue.enqueue('b', {});
    queue.enqueue('b', {}, { runAt: clock.now() + MINUTE }); // not due: not waiting
    await queue.runDue();
    clock.advance(2500);
    expect(queue.stats()).toEqual({
      byStatus: { ready: 2, running: 0, done: 2, dead: 0 },
      byKind: {
        a: { ready: 0, running: 0, done: 2, dead: 0 },
        b: { ready: 2, running: 0, done: 0, dead: 0 },
      },
      oldestReadyAgeSeconds: 2.5,
    });
  });

  test('metrics appear in the registry', async () => {
    const registry = new Registry();
    const { clock, queue } = setup({ registry, random: () => 0 });
    queue.register('ok', () => {});
    queue.register(
      'bad',
      () => {
        throw new Error('nope');
      },
      { maxAttempts: 2 },
    );
    queue.enqueue('ok', {});
    queue.enqueue('bad', {});
    await queue.runDue(); // bad fails, retried at once (jitter 0), then dead
    queue.enqueue('ok', {}, { runAt: clock.now() - 4000 });

    const text = await registry.metrics();
    expect(text).toContain('jobs_total{kind="ok",outcome="succeeded"} 1');
    expect(text).toContain('jobs_total{kind="bad",outcome="failed"} 1');
    expect(text).toContain('jobs_total{kind="bad",outcome="dead"} 1');
    expect(text).toContain('jobs_total{kind="ok",outcome="dead"} 0');
    expect(text).toContain('job_duration_seconds_count{kind="ok"} 1');
    expect(text).toContain('job_duration_seconds_count{kind="bad"} 2');
    expect(text).toContain('queue_depth{status="ready"} 1');
    expect(text).toContain('queue_depth{status="done"} 1');
    expect(text).toContain('queue_depth{status="dead"} 1');
    expect(text).toContain('queue_depth{status="running"} 0');
    expect(text).toContain('queue_oldest_ready_age_seconds 4');
  });
});

/** Reads a child's stdout by lines; `next(re)` gives the first capture (or the match) of the next matching line. */
function lines(stream: ReadableStream<Uint8Array>) {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  return {
    async next(re: RegExp): Promise<string> {
      for (;;) {
        const newline = buffer.indexOf('\n');
        if (newline >= 0) {
          const line = buffer.slice(0, newline);
          buffer = buffer.slice(newline + 1);
          const match = re.exec(line);
          if (match) return match[1] ?? match[0];
          continue;
        }
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before a line matching ${re}`);
        buffer += decoder.decode(value, { stream: true });
      }
    },
  };
}

const readUntil = (stream: ReadableStream<Uint8Array>, re: RegExp) => lines(stream).next(re);
