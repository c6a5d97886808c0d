import { describe, expect, test } from 'bun:test';
import fc from 'fast-check';
import { createRateLimiter, createRateLimiters } from '../../src/lib/rate-limit.ts';

/** A fixed-window boundary for 60 s windows, so the expected numbers below are exact. */
const T0 = 1_700_000_040_000;
const SECOND = 1000;

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

function setup(limit = 15, windowSeconds = 60) {
  const clock = fakeClock();
  return { clock, limiter: createRateLimiter({ limit, windowSeconds, clock }) };
}

describe('createRateLimiter', () => {
  test('allows 15 requests, refuses the 16th with remaining 0 and a Retry-After', () => {
    const { limiter } = setup();
    for (let i = 1; i <= 15; i++) {
      expect(limiter.hit('a')).toEqual({
        allowed: true,
        limit: 15,
        remaining: 15 - i,
        resetSeconds: 120,
        retryAfterSeconds: 0,
      });
    }
    // The 16th fits once the previous window's 15 weigh 14: at 4 s into the next window (15 * 56/60 = 14).
    expect(limiter.hit('a')).toEqual({
      allowed: false,
      limit: 15,
      remaining: 0,
      resetSeconds: 120,
      retryAfterSeconds: 64,
    });
  });

  test('another key is unaffected', () => {
    const { limiter } = setup();
    for (let i = 0; i < 16; i++) limiter.hit('a');
    expect(limiter.hit('b')).toMatchObject({ allowed: true, remaining: 14 });
  });

  test('a refused client is allowed again after Retry-After, and fully after two windows', () => {
    const { clock, limiter } = setup();
    for (let i = 0; i < 15; i++) limiter.hit('a');
    const refused = limiter.hit('a');
    clock.advance(refused.retryAfterSeconds * SECOND - 1);
    expect(limiter.hit('a').allowed).toBe(false);
    clock.advance(1);
    expect(limiter.hit('a')).toMatchObject({ allowed: true, remaining: 0 });

    clock.t = T0 + 180 * SECOND; // the window of that last hit and the one after have both passed
    expect(limiter.peek('a')).toEqual({
      allowed: true,
      limit: 15,
      remaining: 15,
      resetSeconds: 0,
      retryAfterSeconds: 0,
    });
    expect(limiter.hit('a')).toMatchObject({ allowed: true, remaining: 14 });
  });

  test('slides: halfway into the next window, half the previous count still weighs', () => {
    const { clock, limiter } = setup();
    for (let i = 0; i < 15; i++) limiter.hit('a');
    clock.t = T0 + 90 * SECOND; // previous = 15 at weight 30/60 -> 7.5 in use
    const remaining = Array.from({ length: 7 }, () => limiter.hit('a')).map(
      (d) => (expect(d.allowed).toBe(true), d.remaining),
    );
    expect(remaining).toEqual([6, 5, 4, 3, 2, 1, 0]); // floor(15 - 7.5 - n)
    // 7.5 + 7 + 1 > 15; fits when 15 * (60 - e)/60 <= 7, i.e. e >= 32 s into this window: 2 s from now.
    expect(limiter.hit('a')).toEqual({
      allowed: false,
      limit: 15,
      remaining: 0,
      resetSeconds: 90,
      retryAfterSeconds: 2,
    });
    clock.advance(1999);
    expect(limiter.hit('a').allowed).toBe(false);
    clock.advance(1);
    expect(limiter.hit('a').allowed).toBe(true);
  });

  test('refused hits are not counted', () => {
    const { clock, limiter } = setup();
    for (let i = 0; i < 15; i++) limiter.hit('a');
    for (let s = 0; s < 64; s++) {
      for (let i = 0; i < 10; i++) expect(limiter.hit('a').allowed).toBe(false);
      clock.advance(SECOND);
    }
    // Had the 640 refusals counted, the previous window would weigh far more than 14 here.
    expect(clock.t).toBe(T0 + 64 * SECOND);
    expect(limiter.hit('a').allowed).toBe(true);
  });

  test('peek does not count and reset forgets a key', () => {
    const { limiter } = setup(2);
    for (let i = 0; i < 5; i++) expect(limiter.peek('a')).toMatchObject({ allowed: true, remaining: 2 });
    limiter.hit('a');
    limiter.hit('a');
    expect(limiter.peek('a')).toMatchObject({ allowed: false, remaining: 0 });
    expect(limiter.size()).toBe(1);
    limiter.reset('a');
    expect(limiter.size()).toBe(0);
    expect(limiter.hit('a')).toMatchObject({ allowed: true, remaining: 1 });
  });

  test('idle keys are dropped after two windows when new traffic sweeps', () => {
    const { clock, limiter } = setup();
    for (let i = 0; i < 100; i++) limiter.hit(`k${i}`);
    clock.t = T0 + 60 * SECOND;
    limiter.hit('live');
    limiter.hit('k0'); // seen again: kept
    expect(limiter.size()).toBe(101); // still weighing in the sliding window
    clock.t = T0 + 120 * SECOND;
    limiter.hit('new');
    expect(limiter.size()).toBe(3); // live, k0, new
  });

  test('memory stays bounded under a stream of distinct keys', () => {
    const { clock, limiter } = setup();
    let peak = 0;
    for (let i = 0; i < 20_000; i++) {
      limiter.hit(`ip-${i}`); // ten new keys a second for over half an hour
      clock.advance(100);
      peak = Math.max(peak, limiter.size());
    }
    expect(peak).toBeLessThanOrEqual(3 * 600); // at most three windows' worth of keys
  });

  test('rejects a nonsensical configuration', () => {
    const clock = fakeClock();
    expect(() => createRateLimiter({ limit: 0, windowSeconds: 60, clock })).toThrow(RangeError);
    expect(() => createRateLimiter({ limit: 1.5, windowSeconds: 60, clock })).toThrow(RangeError);
    expect(() => createRateLimiter({ limit: 15, windowSeconds: 0, clock })).toThrow(RangeError);
  });

  test('property: never more than limit per fixed window nor 2*limit per sliding window; Retry-After is exact', () => {
    const hits = fc.array(
      fc.record({
        key: fc.constantFrom('a', 'b', 'c'),
        advance: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 1500 }), fc.integer({ min: 0, max: 10_000 })),
      }),
      { maxLength: 300, size: 'medium' },
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 3 }),
        fc.nat(),
        hits,
        (limit, windowSeconds, start, seq) => {
          const clock = fakeClock(T0 + start);
          const limiter = createRateLimiter({ limit, windowSeconds, clock });
          const W = windowSeconds * SECOND;
          const allowedAt = new Map<string, number[]>();
          for (const { key, advance } of seq) {
            clock.advance(advance);
            const d = limiter.hit(key);
            expect(d.remaining).toBeGreaterThanOrEqual(0);
            expect(d.remaining).toBeLessThan(limit);
            if (d.allowed) {
              allowedAt.set(key, [...(allowedAt.get(key) ?? []), clock.t]);
              continue;
            }
            expect(d.remaining).toBe(0);
            // Retry-After is the whole second at which a request first fits again (without other hits).
            const now = clock.t;
            expect(d.retryAfterSeconds).toBeGreaterThanOrEqual(1);
            clock.t = now + d.retryAfterSeconds * SECOND;
            expect(limiter.peek(key).allowed).toBe(true);
            clock.t = now + (d.retryAfterSeconds - 1) * SECOND;
            expect(limiter.peek(key).allowed).toBe(false);
            clock.t = now;
          }
          for (const times of allowedAt.values()) {
            const perWindow = new Map<number, number>();
            for (const t of times) perWindow.set(Math.floor(t / W), (perWindow.get(Math.floor(t / W)) ?? 0) + 1);
            for (const n of perWindow.values()) expect(n).toBeLessThanOrEqual(limit);
            for (const t of times)
              expect(times.filter((u) => u >= t && u < t + W).length).toBeLessThanOrEqual(2 * limit);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('createRateLimiters', () => {
  test('named limits are stricter and count their own keys', () => {
    const clock = fakeClock();
    const limiters = createRateLimiters(
      { limit: 15, windowSeconds: 60, clock },
      { search: { limit: 3 }, payment: { limit: 5, windowSeconds: 600 } },
    );
    expect([limiters.default.name, limiters.search.name, limiters.payment.name]).toEqual([
      'default',
      'search',
      'payment',
    ]);
    for (let i = 0; i < 3; i++) limiters.search.hit('u1');
    expect(limiters.search.hit('u1').allowed).toBe(false);
    expect(limiters.default.hit('u1')).toMatchObject({ allowed: true, remaining: 14 });
    expect(limiters.payment.hit('u1')).toMatchObject({ allowed: true, limit: 5, remaining: 4 });
  });
});
