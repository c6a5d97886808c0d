/**
 * A broadcast to 2,000 users on a fake clock, with 429s injected, users who blocked the bot and
 * a kill mid-way: never more than 25 messages in any 1 s window, every reachable user exactly
 * once (the one message in flight at the kill is not sent again), retry_after waited out, blocked
 * users marked, the progress shown at most every 5 s and a final report.
 */
import { describe, expect, test } from 'bun:test';
import { PROGRESS_EVERY_MS } from '../../../src/modules/admin/broadcast-send.ts';
import { runBroadcast } from '../../support/broadcast.ts';

describe('admin: broadcast', () => {
  test('2,000 users, a 429 every 300 sends, 1 in 50 blocked, killed at send 1,000 and restarted', async () => {
    const run = await runBroadcast({
      users: 2000,
      rateLimitEvery: 300,
      retryAfterSeconds: 3,
      blockedEvery: 50,
      killAtSend: 1000,
    });
    expect(run.maxInAnySecond).toBeLessThanOrEqual(25);
    expect(Math.max(...run.received.values())).toBe(1);
    // Everyone reachable got it once: 2,000 - 40 blocked (the message in flight at the kill counts as received).
    expect(run.received.size).toBe(2000 - run.blocked);
    expect(run.rateLimited).toBeGreaterThanOrEqual(6);
    expect(run.counts).toEqual({
      pending: 0,
      sending: 1,
      sent: 2000 - run.blocked - 1,
      blocked: run.blocked,
      failed: 0,
    });
    expect(run.blockedMarked).toBe(run.blocked);
    // 1,960 messages at 25/s is 78.4 s; each 429 adds its 3 s wait.
    expect(run.fakeSeconds).toBeGreaterThanOrEqual(1960 / 25 - 1);
    const gaps = run.progressEdits.slice(1).map((e, i) => e.at - run.progressEdits[i]!.at);
    expect(gaps.filter((gap, i) => gap < PROGRESS_EVERY_MS && !run.progressEdits[i + 1]!.done)).toEqual([]);
    expect(run.progressEdits.at(-1)!.done).toBe(true);
    console.log(
      `broadcast 2000 users: ${run.received.size} delivered once, ${run.blocked} blocked, ${run.rateLimited} x 429 honoured, ` +
        `max ${run.maxInAnySecond}/s in any 1 s window, ${run.fakeSeconds.toFixed(1)} s on the fake clock, ${run.progressEdits.length} progress edits`,
    );
  }, 60_000);
});
