/**
 * The leader lease against a real redis-server: two leases on two connections stand for two
 * processes. Never two leaders at once; a holder that stops renewing is replaced; while Redis is
 * down nobody leads, and one process leads again once it is back.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'bun:test';
import type { RedisConnection } from '../../src/lib/redis/connection.ts';
import { createLeaderLease, type LeaderLease } from '../../src/lib/redis/lease.ts';
import { connectTo, eventually, redisServerPath, startRedisServer, type RedisServer } from '../support/redis.ts';

/** Leadership changes as the callbacks report them, in order, across every lease of a test. */
function recorder() {
  const events: string[] = [];
  const callbacks = (who: string) => ({
    onAcquire: () => void events.push(`${who} leads`),
    onLose: () => void events.push(`${who} lost`),
  });
  return { events, callbacks };
}

test('without Redis the single process leads from start to stop', async () => {
  const { events, callbacks } = recorder();
  const lease = createLeaderLease({ leaseMs: 1000, ...callbacks('solo') });
  lease.start();
  await eventually('the process to lead', () => lease.isLeader());
  await lease.stop();
  expect(lease.isLeader()).toBe(false);
  expect(events).toEqual(['solo leads', 'solo lost']);
});

describe.skipIf(!redisServerPath)('with a real redis-server', () => {
  let server: RedisServer;
  const opened: RedisConnection[] = [];
  const leases: LeaderLease[] = [];
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterEach(async () => {
    await Promise.all(leases.splice(0).map((l) => l.stop()));
    await Promise.all(opened.splice(0).map((c) => c.close()));
  });
  afterAll(() => server.cleanup());

  /** A process: its own connection and lease on one key; leaseMs long enough for a loaded CI machine. */
  async function candidate(name: string, on: ReturnType<typeof recorder>['callbacks'], key: string) {
    const redis = connectTo(server, name);
    opened.push(redis);
    await eventually(`${name} connected`, () => redis.isUp());
    const lease = createLeaderLease({ redis, key, owner: name, leaseMs: 1500, ...on(name) });
    leases.push(lease);
    return { redis, lease };
  }

  /** Processes A and B competing for `key`: A started first and leads, B is started and follows. */
  async function aLeadsB(key: string) {
    const { events, callbacks } = recorder();
    const a = await candidate('process-a', callbacks, key);
    const b = await candidate('process-b', callbacks, key);
    a.lease.start();
    await eventually('A to lead', () => a.lease.isLeader());
    b.lease.start();
    return { events, a, b };
  }

  /** Polls until `done`, failing at once if both lead at any poll. */
  async function watch(what: string, a: LeaderLease, b: LeaderLease, done: () => boolean) {
    await eventually(what, () => {
      expect(a.isLeader() && b.isLeader()).toBe(false);
      return done();
    });
  }

  test('one leader; a holder that stops renewing gives up, and the other takes over after the lease', async () => {
    const { events, a, b } = await aLeadsB('test:lease:handover');
    // A renews while B keeps trying: B stays a follower through five renewals (longer than a lease).
    let renewals = 0;
    let lastTtl = Infinity;
    await watch('five renewals by A', a.lease, b.lease, () => {
      void b.redis.client.pttl('test:lease:handover').then((ttl) => {
        if (ttl > lastTtl) renewals++;
        lastTtl = ttl;
      });
      return renewals >= 5;
    });
    expect(await b.redis.client.get('test:lease:handover')).toBe('process-a');

    // A loses Redis for good (a crash or a cut network, as B sees it): it can no longer renew.
    a.redis.client.disconnect();
    await watch('B to take over', a.lease, b.lease, () => b.lease.isLeader());
    // A stepped down on its own before the lease expired and B could take it.
    expect(events).toEqual(['process-a leads', 'process-a lost', 'process-b leads']);
  }, 20_000);

  test('stop() hands the lease back: the other process leads without waiting for it to expire', async () => {
    const { events, a, b } = await aLeadsB('test:lease:stop');
    await a.lease.stop();
    expect(await b.redis.client.get('test:lease:stop')).not.toBe('process-a');
    await eventually('B to lead', () => b.lease.isLeader());
    expect(events).toEqual(['process-a leads', 'process-a lost', 'process-b leads']);
  }, 20_000);

  test('Redis stopped: the leader steps down, nobody leads; Redis back: one process leads again', async () => {
    const { events, a, b } = await aLeadsB('test:lease:outage');
    await server.stop();
    await watch('A to step down', a.lease, b.lease, () => !a.lease.isLeader());
    expect(b.lease.isLeader()).toBe(false);
    await server.start();
    await watch('one process to lead again', a.lease, b.lease, () => a.lease.isLeader() || b.lease.isLeader());
    expect(events.slice(0, 2)).toEqual(['process-a leads', 'process-a lost']);
    expect(events).toHaveLength(3);
  }, 20_000);
});
