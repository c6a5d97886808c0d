/**
 * Two `techbot serve` processes on one DATA_DIR and one real redis-server: the rate limit is counted across both, a write through one is seen by the other's next
 * cached read, and stopping Redis mid-run costs no 5xx: /ready shows it degraded, then up again.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram.ts';
import { tempDir } from '../support/env.ts';
import { ensureBinary } from '../scenario/binary.ts';
import { startServer } from '../support/process.ts';
import { ADMIN_KEY, listCourse, request, type Started } from './support.ts';
import { redisServerPath, startRedisServer, type RedisServer } from '../support/redis.ts';

const LIMIT = 15;
const TOKEN = '5550015:AAH-scaling_test_token';
const LEASE_SECONDS = 3;

/** A pass-through to the fake Bot API for one process, so the test knows who called what. */
function tagProxy(apiRoot: string) {
  const methods: string[] = [];
  const server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    idleTimeout: 0,
    async fetch(request) {
      const url = new URL(request.url);
      methods.push(url.pathname.split('/').at(-1)!);
      const body = request.method === 'GET' ? undefined : await request.arrayBuffer();
      return fetch(`${apiRoot}${url.pathname}${url.search}`, {
        method: request.method,
        headers: request.headers,
        body,
      });
    },
  });
  return {
    url: `http://127.0.0.1:${server.port}`,
    polls: () => methods.filter((m) => m === 'getUpdates').length,
    stop: () => server.stop(true),
  };
}

describe.skipIf(!redisServerPath)('two processes behind one Redis', () => {
  const dir = tempDir('techbot-scale-');
  let redis: RedisServer;
  let telegram: FakeTelegram;
  let proxies: ReturnType<typeof tagProxy>[];
  let a: Started;
  let b: Started;
  const statuses: number[] = [];

  const call: typeof request = async (...args) => {
    const answer = await request(...args);
    statuses.push(answer.status);
    return answer as never;
  };

  async function until(what: string, check: () => Promise<boolean>, timeoutMs = 15_000) {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
      await Bun.sleep(100);
    }
  }

  const redisState = async (app: Started) =>
    ((await call<{ components: Record<string, { status: string }> }>(app, 'GET', '/ready')).body.components.redis
      ?.status ?? 'missing') as string;
  const redisUp = async (app: Started) => /^redis_up 1$/m.test(await (await fetch(`${app.url}/metrics`)).text());

  beforeAll(async () => {
    redis = await startRedisServer();
    telegram = await startFakeTelegram({ token: TOKEN });
    proxies = [tagProxy(telegram.apiRoot), tagProxy(telegram.apiRoot)];
    const env = {
      TELEGRAM_TOKEN: TOKEN,
      LEADER_LEASE_SECONDS: String(LEASE_SECONDS),
      DATA_DIR: dir.path,
      ADMIN_API_KEY: ADMIN_KEY,
      REDIS_URL: redis.url,
      RATE_LIMIT_REQUESTS: String(LIMIT),
    };
    const binary = await ensureBinary();
    [a, b] = (await Promise.all(
      proxies.map((proxy) => startServer([binary, 'serve'], { ...env, TELEGRAM_API_ROOT: proxy.url }, dir.path)),
    )) as [Started, Started];
    await until(
      'both processes use Redis',
      async () => (await redisState(a)) === 'up' && (await redisState(b)) === 'up',
    );
    // Two processes and a redis-server starting side by side: seconds on a busy 2-core machine.
  }, 60_000);

  afterAll(async () => {
    for (const app of [a, b]) app?.proc.kill('SIGTERM');
    await Promise.all([a?.proc.exited, b?.proc.exited]);
    await redis?.cleanup();
    for (const proxy of proxies ?? []) await proxy.stop();
    await telegram?.stop();
    dir.cleanup();
  }, 30_000);

  test(`the limit of ${LIMIT} per window holds across both processes`, async () => {
    const answers: number[] = [];
    for (let i = 0; i < LIMIT + 1; i++) answers.push((await call(i % 2 ? b : a, 'GET', '/api/categories')).status);
    expect(answers.slice(0, LIMIT).every((status) => status === 200)).toBe(true);
    expect(answers[LIMIT]).toBe(429);
    // Whichever process gets the next one refuses it too.
    expect((await call(a, 'GET', '/api/categories')).status).toBe(429);
    expect((await call(b, 'GET', '/api/categories')).status).toBe(429);
  });

  test("a product update through one process is seen by the other's next cached read", async () => {
    const { sellerKey, product: created } = await listCourse(a, 'Scaling out', call);
    const seller = { body: { key: sellerKey } };
    expect(created.status).toBe(201);
    const id = created.body.id;
    const titleOn = async (app: Started) =>
      (await call<{ title: string }>(app, 'GET', `/api/products/${id}`, undefined, seller.body.key)).body.title;
    // Read twice through b: the second read is served from the cache.
    expect(await titleOn(b)).toBe('Scaling out');
    expect(await titleOn(b)).toBe('Scaling out');
    expect(
      (await call(a, 'PATCH', `/api/products/${id}`, { title: 'Scaling out, again' }, seller.body.key)).status,
    ).toBe(200);
    expect(await titleOn(b)).toBe('Scaling out, again');
  });

  test('Redis stopped mid-run: no 5xx, /ready degraded but ready, back by itself', async () => {
    expect(await redisUp(a)).toBe(true);
    await redis.stop();
    await until(
      'both see Redis down',
      async () => (await redisState(a)) === 'degraded' && (await redisState(b)) === 'degraded',
    );
    expect((await fetch(`${a.url}/ready`)).status).toBe(200);
    expect(await redisUp(a)).toBe(false);
    for (const app of [a, b]) for (let i = 0; i < 5; i++) await call(app, 'GET', '/api/products', undefined, ADMIN_KEY);
    await redis.start();
    await until('both use Redis again', async () => (await redisState(a)) === 'up' && (await redisState(b)) === 'up');
    expect(await redisUp(b)).toBe(true);
    for (const app of [a, b]) expect((await call(app, 'GET', '/api/products', undefined, ADMIN_KEY)).status).toBe(200);
    expect(statuses.filter((status) => status >= 500)).toEqual([]);
  });

  test('exactly one process polls Telegram; killing it makes the other poll within the lease period', async () => {
    await until('a process polls', async () => proxies.some((proxy) => proxy.polls() > 0));
    // A few renewals later, still one poller.
    await Bun.sleep(LEASE_SECONDS * 1000);
    const [pollsA, pollsB] = proxies.map((proxy) => proxy.polls());
    expect([pollsA, pollsB].filter((n) => n! > 0)).toHaveLength(1);
    const [leader, follower] = pollsA! > 0 ? [a, b] : [b, a];
    const followerProxy = proxies[leader === a ? 1 : 0]!;
    leader.proc.kill('SIGKILL');
    await leader.proc.exited;
    const killedAt = Date.now();
    await until('the other process polls', async () => followerProxy.polls() > 0, LEASE_SECONDS * 3000);
    // The lease runs out at most LEASE_SECONDS after the dead leader's last renewal; the follower
    // tries every third of it; one more second for deleteWebhook and the first getUpdates.
    expect(Date.now() - killedAt).toBeLessThan(LEASE_SECONDS * 1000 * (4 / 3) + 1000);
    expect((await fetch(`${follower.url}/ready`)).status).toBe(200);
  }, 30_000);
});
