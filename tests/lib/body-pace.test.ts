import { describe, expect, test } from 'bun:test';
import { paced, pacedWhole, type StartTimer } from '../../src/lib/body-pace.ts';
import { AppError } from '../../src/lib/errors.ts';
import { fakeClock } from '../support/app.ts';

const rule = { timeoutMs: 10_000, stepBytes: 16 * 1024 };

/** A body whose every chunk arrives `gapMs` after it is asked for (on the fake clock). */
function body(clock: ReturnType<typeof fakeClock>, chunks: { bytes: number; gapMs: number }[]) {
  let next = 0;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const chunk = chunks[next++];
        if (!chunk) return controller.close();
        clock.advance(chunk.gapMs);
        controller.enqueue(new Uint8Array(chunk.bytes));
      },
    },
    { highWaterMark: 0 },
  ); // produced only when read, so the clock moves while the reader waits
}

/** A timer that never fires: the clock alone decides. */
const never: StartTimer = () => ({ fired: new Promise(() => {}), clear: () => {} });

async function drain(chunks: AsyncIterable<Uint8Array>) {
  let size = 0;
  for await (const chunk of chunks) size += chunk.length;
  return size;
}

async function failure(run: Promise<unknown>): Promise<AppError> {
  const error = await run.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('the body pace rule: each further stepBytes within timeoutMs of waiting', () => {
  test('a body trickled at 1 byte/s is cut once timeoutMs has passed without a full step', async () => {
    const clock = fakeClock();
    let cut = 0;
    const trickle = Array.from({ length: 60 }, () => ({ bytes: 1, gapMs: 1000 }));
    const error = await failure(
      drain(paced(body(clock, trickle), { rule, clock, timer: never, onTooSlow: () => cut++ })),
    );
    expect(error.code).toBe('request_timeout');
    expect(error.details).toMatchObject({ timeout_seconds: 10, step_bytes: 16 * 1024, received_bytes: 10 });
    expect(cut).toBe(1);
  });

  test('a large body at a steady, even slow, pace is never cut', async () => {
    const clock = fakeClock();
    // 300 MB in 64 KiB chunks, 100 ms apart: 640 KB/s, and 8 minutes in all.
    const steady = Array.from({ length: 4800 }, () => ({ bytes: 64 * 1024, gapMs: 100 }));
    expect(await drain(paced(body(clock, steady), { rule, clock, timer: never }))).toBe(300 * 1024 * 1024);
    // 16 KiB every 9.9 s keeps the pace too, however long it lasts.
    const crawl = Array.from({ length: 50 }, () => ({ bytes: 16 * 1024, gapMs: 9_900 }));
    expect(await drain(paced(body(clock, crawl), { rule, clock, timer: never }))).toBe(50 * 16 * 1024);
  });

  test('a fast start earns no credit: a pause longer than timeoutMs after it is cut', async () => {
    const clock = fakeClock();
    const chunks = [
      ...Array.from({ length: 100 }, () => ({ bytes: 64 * 1024, gapMs: 1 })),
      { bytes: 1, gapMs: 10_001 },
    ];
    expect((await failure(drain(paced(body(clock, chunks), { rule, clock, timer: never })))).code).toBe(
      'request_timeout',
    );
  });

  test('time the reader spends on a chunk is not counted against the client', async () => {
    const clock = fakeClock();
    const chunks = Array.from({ length: 5 }, () => ({ bytes: 1024, gapMs: 1000 }));
    let size = 0;
    for await (const chunk of paced(body(clock, chunks), { rule, clock, timer: never })) {
      size += chunk.length;
      clock.advance(30_000); // a slow disk, say
    }
    expect(size).toBe(5 * 1024);
  });

  test('a client that sends nothing at all is cut by the timer, and its body is cancelled', async () => {
    const clock = fakeClock();
    let cancelled = false;
    const silent = new ReadableStream<Uint8Array>({
      pull: () => new Promise(() => {}),
      cancel: () => void (cancelled = true),
    });
    const asked: number[] = [];
    const fires: StartTimer = (ms) => {
      asked.push(ms);
      clock.advance(ms);
      return { fired: Promise.resolve(), clear: () => {} };
    };
    expect((await failure(drain(paced(silent, { rule, clock, timer: fires })))).code).toBe('request_timeout');
    expect(asked).toEqual([10_000]);
    expect(cancelled).toBe(true);
  });
});

describe('a body of at most one step, read whole: all of it within timeoutMs', () => {
  /** A timer that fires when `fire()` is called, recording what it was asked and whether it was cleared. */
  function manualTimer() {
    const seen = { asked: [] as number[], cleared: 0 };
    let fire = () => {};
    const timer: StartTimer = (ms) => {
      seen.asked.push(ms);
      return { fired: new Promise<void>((resolve) => (fire = resolve)), clear: () => seen.cleared++ };
    };
    return { timer, seen, fire: () => fire() };
  }

  test('a body that arrives in time is given back whole, and the timer is cleared', async () => {
    const { timer, seen } = manualTimer();
    const bytes = new TextEncoder().encode('{"payment_id":1}');
    expect(await pacedWhole(async () => bytes, { rule, clock: fakeClock(), timer })).toBe(bytes);
    expect(seen).toEqual({ asked: [10_000], cleared: 1 });
  });

  test('a body still arriving when the timer fires is refused with request_timeout, counted once', async () => {
    const { timer, fire } = manualTimer();
    let cut = 0;
    const reading = pacedWhole(() => new Promise<Uint8Array>(() => {}), {
      rule,
      clock: fakeClock(),
      timer,
      onTooSlow: () => cut++,
    });
    fire();
    const error = await failure(reading);
    expect(error.code).toBe('request_timeout');
    expect(error.details).toMatchObject({ timeout_seconds: 10, step_bytes: 16 * 1024 });
    expect(cut).toBe(1);
  });
});
