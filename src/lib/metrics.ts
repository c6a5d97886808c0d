import { Counter, Gauge, Histogram, Registry } from './prom.ts';
import { collectProcessMetrics } from './default-metrics.ts';

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** One registry per app instance (tests run several apps in one process). */
export function createMetrics({ version }: { version: string }) {
  const registry = new Registry();
  collectProcessMetrics(registry);
  const registers = [registry];

  new Gauge({
    name: 'app_build_info',
    help: 'Build information; value is always 1.',
    labelNames: ['version'],
    registers,
  }).set({ version }, 1);

  const dbQueryDuration = new Histogram({
    name: 'db_query_duration_seconds',
    help: 'Duration of database operations, by operation name.',
    labelNames: ['query'],
    buckets: LATENCY_BUCKETS,
    registers,
  });

  /** Times `fn` (sync or async) into db_query_duration_seconds{query}. */
  function timed<T>(query: string, fn: () => T): T {
    const end = dbQueryDuration.startTimer({ query });
    let result: T;
    try {
      result = fn();
    } catch (error) {
      end();
      throw error;
    }
    if (result instanceof Promise) return result.finally(end) as T;
    end();
    return result;
  }

  return {
    registry,
    timed,
    http: {
      requests: new Counter({
        name: 'http_requests_total',
        help: 'HTTP requests served, by method, route pattern and status.',
        labelNames: ['method', 'route', 'status'],
        registers,
      }),
      duration: new Histogram({
        name: 'http_request_duration_seconds',
        help: 'HTTP request duration, by method and route pattern.',
        labelNames: ['method', 'route'],
        buckets: LATENCY_BUCKETS,
        registers,
      }),
      bodyTimeouts: new Counter({
        name: 'http_request_body_timeouts_total',
        help: 'Requests cut off (408) because their body arrived slower than the body pace rule allows.',
        registers,
      }),
    },
    cache: {
      hits: new Counter({ name: 'cache_hits_total', help: 'Cache hits, by cache.', labelNames: ['cache'], registers }),
      misses: new Counter({
        name: 'cache_misses_total',
        help: 'Cache misses, by cache.',
        labelNames: ['cache'],
        registers,
      }),
      evictions: new Counter({
        name: 'cache_evictions_total',
        help: 'Entries evicted to respect the size bound, by cache.',
        labelNames: ['cache'],
        registers,
      }),
    },
    rateLimited: new Counter({
      name: 'rate_limited_requests_total',
      help: 'Requests refused by a rate limiter, by scope.',
      labelNames: ['scope'],
      registers,
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
