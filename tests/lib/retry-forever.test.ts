import { describe, expect, test } from 'bun:test';
import { backoffDelay, retryForever, timerSleep, type Sleep } from '../../src/lib/retry-forever.ts';

/** Records the waits asked for and ends them at once. */
const recording = () => {
  const waits: number[] = [];
  const sleep: Sleep = async (ms) => void waits.push(ms);
  return { waits, sleep };
};

describe('retryForever', () => {
  test('tries until it works, waiting min x 2^n capped at max between failures, and reports each failure', async () => {
    const { waits, sleep } = recording();
    const failures: number[] = [];
    let calls = 0;
    const result = await retryForever(
      async () => {
        calls += 1;
        if (calls <= 7) throw new Error(`refused ${calls}`);
        return 'connected';
      },
      {
        backoff: { minMs: 100, maxMs: 500 },
        signal: new AbortController().signal,
        sleep,
        onFailure: (_, { attempt }) => failures.push(attempt),
      },
    );
    expect(result).toBe('connected');
    expect(waits).toEqual([100, 200, 400, 500, 500, 500, 500]);
    expect(failures).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  test('only an abort ends it: the promise rejects with the reason, even in the middle of a wait', async () => {
    const stop = new AbortController();
    let calls = 0;
    const running = retryForever(
      async () => {
        calls += 1;
        throw new Error('still down');
      },
      { backoff: { minMs: 60_000, maxMs: 60_000 }, signal: stop.signal, sleep: timerSleep },
    );
    await Bun.sleep(5);
    stop.abort(new Error('shutting down'));
    await expect(running).rejects.toThrow('shutting down');
    expect(calls).toBe(1);
  });

  test('the delay never overflows, however many failures', () => {
    expect(backoffDelay(10_000, { minMs: 1000, maxMs: 5000 })).toBe(5000);
    expect(backoffDelay(0, { minMs: 1000, maxMs: 5000 })).toBe(1000);
  });
});
