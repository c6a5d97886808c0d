import { afterEach, describe, expect, test } from 'bun:test';
import { Registry } from 'prom-client';
import { AppError } from '../../src/lib/errors.ts';
import {
  CircuitOpenError,
  createHttpClient,
  HttpError,
  UncertainOutcomeError,
  UpstreamNetworkError,
  UpstreamTimeoutError,
  UpstreamUnavailableError,
  type HttpClientOptions,
} from '../../src/lib/http-client.ts';
import { fullJitter, parseRetryAfter } from '../../src/lib/http-client/policy.ts';

type Handler = (req: Request, n: number) => Response | Promise<Response>;

const cleanup: Array<() => void> = [];
afterEach(() => {
  while (cleanup.length > 0) cleanup.pop()!();
});

/** A real HTTP server on 127.0.0.1 whose behaviour the test swaps; counts requests and the most in flight. */
function upstream(initial: Handler) {
  const stats = { handler: initial, count: 0, inFlight: 0, maxInFlight: 0 };
  const server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    async fetch(req) {
      const n = ++stats.count;
      stats.maxInFlight = Math.max(stats.maxInFlight, ++stats.inFlight);
      try {
        return await stats.handler(req, n);
      } finally {
        stats.inFlight--;
      }
    },
  });
  cleanup.push(() => server.stop(true));
  return Object.assign(stats, { url: `http://127.0.0.1:${server.port}` });
}

/** A port nothing listens on: bound once, then released. */
function closedPort(): number {
  const server = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response() });
  const port = server.port!;
  server.stop(true);
  return port;
}

const json = (data: unknown, status = 200, headers: Record<string, string> = {}) =>
  Response.json(data, { status, headers });

function client(baseUrl: string, overrides: Partial<HttpClientOptions> = {}) {
  const c = createHttpClient({
    upstream: 'test',
    baseUrl,
    timeoutMs: 1_000,
    maxConcurrent: 10,
    retry: { retries: 2, minTimeoutMs: 1, maxTimeoutMs: 5 },
    breaker: { errorThresholdPercentage: 50, volumeThreshold: 100, resetTimeoutMs: 60, rollingWindowMs: 10_000 },
    ...overrides,
  });
  cleanup.push(c.close);
  return c;
}

function fakeClock(t = 1_700_000_000_000) {
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

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

/** Polls (bounded) until `check` holds; the breaker's reset timer runs on real time. */
async function until(check: () => boolean, ms = 1_000) {
  const end = performance.now() + ms;
  while (!check()) {
    if (performance.now() > end) throw new Error('condition not reached');
    await Bun.sleep(5);
  }
}

/** One sample's value from the registry's exposition text. */
async function sample(registry: Registry, series: string): Promise<number> {
  const line = (await registry.metrics()).split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? NaN : Number(line.slice(series.length + 1));
}

describe('createHttpClient: requests', () => {
  test('sends method, query, JSON body and headers; parses the JSON answer', async () => {
    const server = upstream(async (req) => {
      const url = new URL(req.url);
      return json(
        {
          method: req.method,
          path: url.pathname,
          q: url.searchParams.get('q'),
          body: await req.json(),
          key: req.headers.get('x-api-key'),
          type: req.headers.get('content-type'),
        },
        201,
      );
    });
    const http = client(`${server.url}/`, { defaultHeaders: { 'x-api-key': 'k1' } });
    const res = await http.request<Record<string, unknown>>({
      method: 'post',
      path: '/v1/payment',
      query: { q: 'a b', skip: undefined },
      body: { order_id: 'o1' },
    });
    expect(res.status).toBe(201);
    expect(res.data).toEqual({
      method: 'POST',
      path: '/v1/payment',
      q: 'a b',
      body: { order_id: 'o1' },
      key: 'k1',
      type: 'application/json',
    });
  });

  test('a 4xx throws HttpError with the parsed body, is not retried and does not trip the breaker', async () => {
    const server = upstream(() => json({ message: 'bad currency' }, 400));
    const http = client(server.url, {
      breaker: { errorThresholdPercentage: 10, volumeThreshold: 2, resetTimeoutMs: 60, rollingWindowMs: 10_000 },
    });
    for (let i = 0; i < 5; i++) {
      const error = await failure(http.request({ method: 'GET', path: '/x' }));
      expect(error).toBeInstanceOf(HttpError);
      expect(error).toMatchObject({ upstream: 'test', status: 400, body: { message: 'bad currency' } });
    }
    expect(server.count).toBe(5);
    expect(http.state()).toBe('closed');
  });

  test('the concurrency cap holds: never more than maxConcurrent requests in flight', async () => {
    const server = upstream(async () => (await Bun.sleep(15), json({ ok: true })));
    const http = client(server.url, { maxConcurrent: 3 });
    const all = await Promise.all(Array.from({ length: 10 }, () => http.request({ method: 'GET', path: '/' })));
    expect(all.every((r) => r.status === 200)).toBe(true);
    expect(server.count).toBe(10);
    expect(server.maxInFlight).toBe(3);
  });

  test('the timeout aborts a slow answer and a body that stalls', async () => {
    const slow = upstream(async () => (await Bun.sleep(500), json({})));
    const http = client(slow.url, { timeoutMs: 40, retry: { retries: 0, minTimeoutMs: 1, maxTimeoutMs: 5 } });
    const started = performance.now();
    expect(await failure(http.request({ method: 'GET', path: '/' }))).toBeInstanceOf(UpstreamTimeoutError);
    expect(performance.now() - started).toBeLessThan(300);

    const stall = upstream(
      () =>
        new Response(new ReadableStream({ start: (c) => c.enqueue(new TextEncoder().encode('{"a":')) }), {
          headers: { 'content-type': 'application/json' },
        }),
    );
    const http2 = client(stall.url, { timeoutMs: 40, retry: { retries: 0, minTimeoutMs: 1, maxTimeoutMs: 5 } });
    expect(await failure(http2.request({ method: 'GET', path: '/' }))).toBeInstanceOf(UpstreamTimeoutError);
  });
});

describe('createHttpClient: retries', () => {
  test('a GET is retried after a 503 and then succeeds', async () => {
    const server = upstream((_req, n) => (n === 1 ? json({ error: 'busy' }, 503) : json({ ok: n })));
    const res = await client(server.url).request<{ ok: number }>({ method: 'GET', path: '/' });
    expect(res.data).toEqual({ ok: 2 });
    expect(server.count).toBe(2);
  });

  test('a GET that keeps timing out is tried retries + 1 times, then UpstreamTimeoutError', async () => {
    const server = upstream(async () => (await Bun.sleep(300), json({})));
    const error = await failure(client(server.url, { timeoutMs: 30 }).request({ method: 'GET', path: '/' }));
    expect(error).toBeInstanceOf(UpstreamTimeoutError);
    expect(server.count).toBe(3);
  });

  test('a POST is retried on 429 with Retry-After: 0 (nothing was processed)', async () => {
    const server = upstream((_req, n) =>
      n === 1 ? json({}, 429, { 'retry-after': '0' }) : json({ payment_id: '1' }, 201),
    );
    const res = await client(server.url).request({ method: 'POST', path: '/v1/payment', body: { order_id: 'o1' } });
    expect(res.status).toBe(201);
    expect(server.count).toBe(2);
  });

  test('a Retry-After longer than the max wait gives up at once with retryAfterSeconds', async () => {
    const clock = fakeClock();
    const date = new Date(clock.now() + 120_000).toUTCString();
    const server = upstream((_req, n) =>
      n === 1 ? json({}, 503, { 'retry-after': '30' }) : json({}, 429, { 'retry-after': date }),
    );
    const http = client(server.url, { clock, retry: { retries: 5, minTimeoutMs: 1, maxTimeoutMs: 100 } });

    const started = performance.now();
    const first = await failure(http.request({ method: 'POST', path: '/v1/payment', body: {} }));
    expect(first).toBeInstanceOf(UpstreamUnavailableError);
    expect(first).toBeInstanceOf(AppError);
    expect(first).toMatchObject({ code: 'unavailable', retryAfterSeconds: 30, upstream: 'test' });
    expect(((first as Error).cause as HttpError).status).toBe(503);
    expect(performance.now() - started).toBeLessThan(100);

    // The HTTP-date form, read against the injected clock.
    expect(await failure(http.request({ method: 'GET', path: '/' }))).toMatchObject({ retryAfterSeconds: 120 });
    expect(server.count).toBe(2);
  });

  test('a POST answered 500 is not retried: UncertainOutcomeError, the server saw one request', async () => {
    const server = upstream(() => json({ message: 'oops' }, 500));
    const error = await failure(
      client(server.url).request({ method: 'POST', path: '/v1/payment', body: { order_id: 'o1' } }),
    );
    expect(error).toBeInstanceOf(UncertainOutcomeError);
    expect(error).toMatchObject({ upstream: 'test', method: 'POST', path: '/v1/payment' });
    expect(((error as Error).cause as HttpError).status).toBe(500);
    expect(server.count).toBe(1);
  });

  test('a POST that timed out is not retried: UncertainOutcomeError, the server saw one request', async () => {
    const server = upstream(async () => (await Bun.sleep(300), json({}, 201)));
    const error = await failure(
      client(server.url, { timeoutMs: 30 }).request({ method: 'POST', path: '/v1/payment', body: {} }),
    );
    expect(error).toBeInstanceOf(UncertainOutcomeError);
    expect((error as Error).cause).toBeInstanceOf(UpstreamTimeoutError);
    expect(server.count).toBe(1);
  });

  test('a POST with idempotent: true is retried on 500', async () => {
    const server = upstream((_req, n) => (n < 3 ? json({}, 500) : json({ ok: true })));
    const res = await client(server.url).request({ method: 'POST', path: '/x', body: {}, idempotent: true });
    expect(res.data).toEqual({ ok: true });
    expect(server.count).toBe(3);
  });

  test('a POST to a refused connection is retried (it never left), retries + 1 attempts', async () => {
    let calls = 0;
    const counting = (url: string, init: RequestInit) => (calls++, fetch(url, init));
    const started = performance.now();
    const error = await failure(
      client(`http://127.0.0.1:${closedPort()}`, { fetch: counting }).request({
        method: 'POST',
        path: '/v1/payment',
        body: {},
      }),
    );
    expect(error).toBeInstanceOf(UpstreamNetworkError);
    expect(error).toMatchObject({ notSent: true, code: 'ECONNREFUSED' });
    expect(calls).toBe(3);
    expect(performance.now() - started).toBeLessThan(500);
  });

  test('a connection dropped after sending: a GET is retried, a POST is uncertain', async () => {
    let received = 0;
    const listener = Bun.listen({
      hostname: '127.0.0.1',
      port: 0,
      socket: {
        data(socket) {
          received++;
          socket.end();
        },
      },
    });
    cleanup.push(() => listener.stop(true));
    const http = client(`http://127.0.0.1:${listener.port}`);

    expect(await failure(http.request({ method: 'GET', path: '/' }))).toMatchObject({ notSent: false });
    expect(received).toBe(3);
    const error = await failure(http.request({ method: 'POST', path: '/v1/payment', body: {} }));
    expect(error).toBeInstanceOf(UncertainOutcomeError);
    expect((error as Error).cause).toBeInstanceOf(UpstreamNetworkError);
    expect(received).toBe(4);
  });
});

describe('createHttpClient: circuit breaker', () => {
  const breaker = { errorThresholdPercentage: 50, volumeThreshold: 3, resetTimeoutMs: 60, rollingWindowMs: 10_000 };
  const noRetry = { retries: 0, minTimeoutMs: 1, maxTimeoutMs: 5 };

  test('opens after the threshold, fails fast without a request, then a half-open probe closes it', async () => {
    const registry = new Registry();
    const server = upstream(() => json({}, 500));
    const http = client(server.url, { breaker, retry: noRetry, registry });

    for (let i = 0; i < 3; i++)
      expect(await failure(http.request({ method: 'GET', path: '/' }))).toBeInstanceOf(HttpError);
    expect(http.state()).toBe('open');
    expect(await sample(registry, 'circuit_breaker_state{upstream="test"}')).toBe(2);

    const started = performance.now();
    const error = await failure(http.request({ method: 'POST', path: '/v1/payment', body: {} }));
    expect(performance.now() - started).toBeLessThan(20);
    expect(error).toBeInstanceOf(CircuitOpenError);
    expect(error).toMatchObject({ code: 'unavailable', retryAfterSeconds: 1, upstream: 'test' });
    expect(server.count).toBe(3);

    server.handler = () => json({ ok: true });
    await until(() => http.state() === 'half_open');
    expect(await sample(registry, 'circuit_breaker_state{upstream="test"}')).toBe(1);
    expect((await http.request({ method: 'GET', path: '/' })).data).toEqual({ ok: true });
    expect(http.state()).toBe('closed');
    expect(await sample(registry, 'circuit_breaker_state{upstream="test"}')).toBe(0);
    expect(server.count).toBe(4);
  });

  test('half-open lets exactly one probe through; a failed probe reopens the circuit', async () => {
    const server = upstream(() => json({}, 502));
    const http = client(server.url, { breaker, retry: noRetry });
    for (let i = 0; i < 3; i++) await failure(http.request({ method: 'GET', path: '/' }));
    await until(() => http.state() === 'half_open');

    server.handler = async () => (await Bun.sleep(20), json({}, 502));
    const [probe, other] = await Promise.all([
      failure(http.request({ method: 'GET', path: '/' })),
      failure(http.request({ method: 'GET', path: '/' })),
    ]);
    expect(probe).toBeInstanceOf(HttpError);
    expect(other).toBeInstanceOf(CircuitOpenError);
    expect(server.count).toBe(4);
    expect(http.state()).toBe('open');
  });

  test('the rolling window follows the injected clock: failures spread over more than the window do not open it', async () => {
    const clock = fakeClock();
    const server = upstream(() => json({}, 500));
    const http = client(server.url, { clock, retry: noRetry, breaker: { ...breaker, rollingWindowMs: 1_000 } });
    for (let i = 0; i < 6; i++) {
      await failure(http.request({ method: 'GET', path: '/' }));
      clock.advance(600);
    }
    expect(http.state()).toBe('closed');

    for (let i = 0; i < 3; i++) await failure(http.request({ method: 'GET', path: '/' }));
    expect(http.state()).toBe('open');
  });
});

describe('createHttpClient: metrics', () => {
  test('outcome counters, durations and breaker state; two clients share one registry', async () => {
    const registry = new Registry();
    const server = upstream((req) => (new URL(req.url).pathname === '/ok' ? json({}) : json({}, 404)));
    const a = client(server.url, { upstream: 'a', registry });
    const b = client(server.url, { upstream: 'b', registry });
    await a.request({ method: 'GET', path: '/ok' });
    await a.request({ method: 'GET', path: '/ok' });
    await failure(b.request({ method: 'GET', path: '/missing' }));
    await failure(b.request({ method: 'POST', path: '/x', body: {} }));
    // A third client on the same registry and upstream label: the series are shared, not registered twice.
    const failing = upstream(() => json({}, 500));
    await failure(client(failing.url, { upstream: 'b', registry }).request({ method: 'POST', path: '/x', body: {} }));

    expect(await sample(registry, 'outbound_requests_total{upstream="a",outcome="ok"}')).toBe(2);
    expect(await sample(registry, 'outbound_requests_total{upstream="b",outcome="http_4xx"}')).toBe(2);
    expect(await sample(registry, 'outbound_requests_total{upstream="b",outcome="uncertain"}')).toBe(1);
    expect(await sample(registry, 'outbound_request_duration_seconds_count{upstream="a"}')).toBe(2);
    expect(await sample(registry, 'circuit_breaker_state{upstream="a"}')).toBe(0);
  });
});

describe('retry policy helpers', () => {
  test('parseRetryAfter reads delta-seconds and HTTP dates against the given time', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:42 GMT', now)).toBe(42);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  test('fullJitter is uniform between 0 and the capped exponential', () => {
    const retry = { retries: 5, minTimeoutMs: 100, maxTimeoutMs: 1_000 };
    expect(fullJitter(0, retry, () => 0)).toBe(0);
    expect(fullJitter(0, retry, () => 0.999)).toBe(100);
    expect(fullJitter(2, retry, () => 0.5)).toBe(200);
    expect(fullJitter(10, retry, () => 0.999)).toBe(999);
  });
});
