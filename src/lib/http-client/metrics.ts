import { Counter, Gauge, Histogram, type Registry } from '../prom.ts';

export type Outcome = 'ok' | 'http_4xx' | 'http_5xx' | 'timeout' | 'network' | 'circuit_open' | 'uncertain';

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** A metric already on the registry (another client registered it) or a new one: prom-client throws on duplicates. */
function reuse<M>(registry: Registry | undefined, name: string, create: (registers: Registry[]) => M): M {
  const existing = registry?.getSingleMetric(name);
  return (existing as M | undefined) ?? create(registry ? [registry] : []);
}

export interface OutboundMetrics {
  count(outcome: Outcome): void;
  /** Starts timing one network attempt; call the result when it has settled. */
  time(): () => void;
  state(value: 0 | 1 | 2): void;
}

/** The outbound series for one upstream; without a registry the metrics are kept but never exposed. */
export function outboundMetrics(registry: Registry | undefined, upstream: string): OutboundMetrics {
  const requests = reuse(
    registry,
    'outbound_requests_total',
    (registers) =>
      new Counter({
        name: 'outbound_requests_total',
        help: 'Outbound HTTP attempts, by upstream and outcome (circuit_open: refused without a network call).',
        labelNames: ['upstream', 'outcome'],
        registers,
      }),
  );
  const duration = reuse(
    registry,
    'outbound_request_duration_seconds',
    (registers) =>
      new Histogram({
        name: 'outbound_request_duration_seconds',
        help: 'Duration of outbound HTTP attempts that reached the network, by upstream.',
        labelNames: ['upstream'],
        buckets: BUCKETS,
        registers,
      }),
  );
  const breaker = reuse(
    registry,
    'circuit_breaker_state',
    (registers) =>
      new Gauge({
        name: 'circuit_breaker_state',
        help: 'Circuit breaker state by upstream: 0 closed, 1 half-open, 2 open.',
        labelNames: ['upstream'],
        registers,
      }),
  );
  breaker.set({ upstream }, 0);
  return {
    count: (outcome) => requests.inc({ upstream, outcome }),
    time: () => duration.startTimer({ upstream }),
    state: (value) => breaker.set({ upstream }, value),
  };
}
