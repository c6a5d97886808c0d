/**
 * What REDIS_URL changes in one process, against a real redis-server: the shared rate limits, the
 * `redis` component of /ready and the `redis_up` gauge through an outage, and the leader lease.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createRedisWiring } from '../../src/app/redis.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { createMetrics } from '../../src/lib/metrics.ts';
import { eventually, redisServerPath, startRedisServer, type RedisServer } from '../support/redis.ts';

const silent = createLogger({ level: 'fatal' });
const clock = { now: () => Date.now() };

function wiring(redisUrl: string | undefined) {
  const metrics = createMetrics({ version: 'test' });
  const config = { redisUrl, leaderLeaseMs: 2_000, cacheTtlSeconds: 60, cacheMaxBytes: 1 << 20 };
  return { metrics, wired: createRedisWiring({ config, logger: silent, clock, metrics }) };
}

const redisUp = async (metrics: ReturnType<typeof createMetrics>) =>
  (await metrics.registry.getSingleMetric('redis_up')?.get())?.values[0]?.value;

test('without REDIS_URL: Redis is disabled on /ready, limits are in-process, this process leads', async () => {
  const { wired } = wiring(undefined);
  expect(wired.readiness()).toEqual({ status: 'disabled' });
  const limiter = wired.limiters({ name: 'api', limit: 1, windowSeconds: 60 });
  expect((await limiter.hit('ip')).allowed).toBe(true);
  expect((await limiter.hit('ip')).allowed).toBe(false);
  const leading: boolean[] = [];
  wired.lead({ setLeading: async (on) => void leading.push(on) });
  await eventually('the lead', () => leading.includes(true));
  await wired.handOver();
  await wired.close();
});

describe.skipIf(!redisServerPath)('with REDIS_URL (real redis-server)', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedisServer();
  }, 20_000);
  afterAll(() => server.cleanup());

  test('two processes share one limit; exactly one of them leads', async () => {
    const a = wiring(server.url);
    const b = wiring(server.url);
    await eventually(
      'both connected',
      () => a.wired.readiness().status === 'up' && b.wired.readiness().status === 'up',
    );
    const limit = { name: 'shared', limit: 3, windowSeconds: 60 };
    const [la, lb] = [a.wired.limiters(limit), b.wired.limiters(limit)];
    const answers = [
      await la.hit('1.2.3.4'),
      await lb.hit('1.2.3.4'),
      await la.hit('1.2.3.4'),
      await lb.hit('1.2.3.4'),
    ];
    expect(answers.map((d) => d.allowed)).toEqual([true, true, true, false]);

    const leaders = new Set<string>();
    let most = 0;
    const lead = (name: string) => async (on: boolean) => {
      if (on) leaders.add(name);
      else leaders.delete(name);
      most = Math.max(most, leaders.size);
    };
    a.wired.lead({ setLeading: lead('a') });
    b.wired.lead({ setLeading: lead('b') });
    await eventually('a leader', () => leaders.size === 1);
    expect(most).toBe(1);
    for (const { wired } of [a, b]) {
      await wired.handOver();
      await wired.close();
    }
  });

  test('Redis down: /ready degraded with the reason and redis_up 0; back: up and 1, by itself', async () => {
    const { metrics, wired } = wiring(server.url);
    await eventually('connected', () => wired.readiness().status === 'up');
    expect(await redisUp(metrics)).toBe(1);
    await server.stop();
    await eventually('the outage', () => wired.readiness().status === 'degraded');
    expect(wired.readiness().detail).toStartWith('in-process cache and limits');
    expect(await redisUp(metrics)).toBe(0);
    // Limits still answer from the in-process insurance while Redis is away.
    expect((await wired.limiters({ name: 'outage', limit: 5, windowSeconds: 60 }).hit('k')).allowed).toBe(true);
    await server.start();
    await eventually('back', () => wired.readiness().status === 'up');
    expect(await redisUp(metrics)).toBe(1);
    await wired.close();
  });
});
