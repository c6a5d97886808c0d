import { createHttpClient, type HttpClientOptions } from '../../lib/http-client.ts';
import type { Queue } from '../../lib/queue.ts';
import type { ModuleBase } from '../base.ts';
import type { Catalog } from '../catalog/service.ts';
import type { Notify } from '../notify/index.ts';
import type { Orders } from '../orders/service.ts';
import type { OrderTokens } from '../orders/tokens.ts';
import type { Users } from '../users/service.ts';
import { createCheckout } from './checkout.ts';
import { createNowPaymentsClient } from './nowpayments/client.ts';
import { createPayments } from './service.ts';
import { createStars } from './stars.ts';
import type { AttentionSink } from './attention.ts';

const NOWPAYMENTS_TIMEOUT_MS = 15_000;
const RECONCILE_EVERY_MS = 60_000;

export interface PaymentsModuleDeps extends ModuleBase {
  /** Tests shorten the NOWPayments client's timeout, backoff and breaker; production keeps the defaults. */
  nowpaymentsHttp?: Partial<Pick<HttpClientOptions, 'timeoutMs' | 'retry' | 'breaker'>>;
  orders: Orders;
  users: Users;
  catalog: Pick<Catalog, 'productTerms' | 'getProduct'>;
  /** The orders module's tokens: POST /api/payment hands one back. */
  orderTokens: Pick<OrderTokens, 'issue'>;
  /** Without e-mail an e-mail buyer is refused; the admin is alerted of flagged IPNs and a long-open circuit. */
  notify: Pick<Notify, 'enabled' | 'alert' | 'watchBreaker'>;
}

/**
 * Payments: NOWPayments (crypto) and Telegram Stars. Owns the tables `payments`,
 * `payment_events`; moves orders through the orders service.
 */
export function createPaymentsModule(deps: PaymentsModuleDeps) {
  const { db, clock, logger, config, cache, orders, users, catalog, notify } = deps;
  const http = config.nowpayments.apiKey
    ? createHttpClient({
        upstream: 'nowpayments',
        baseUrl: config.nowpayments.apiUrl,
        timeoutMs: deps.nowpaymentsHttp?.timeoutMs ?? NOWPAYMENTS_TIMEOUT_MS,
        retry: deps.nowpaymentsHttp?.retry,
        breaker: deps.nowpaymentsHttp?.breaker,
        maxConcurrent: config.maxConnections,
        clock,
        registry: deps.metrics.registry,
        defaultHeaders: { 'x-api-key': config.nowpayments.apiKey },
      })
    : undefined;
  const onAttention: AttentionSink = (what) => notify.alert(what.incident, what.title, what.detail);
  const payments = createPayments({
    db,
    clock,
    orders,
    users,
    catalog,
    logger,
    nowpayments: http && createNowPaymentsClient({ http, cache }),
    ipnSecret: config.nowpayments.ipnSecret,
    ipnCallbackUrl: deps.urls.ipn,
    orderTokens: deps.orderTokens,
    emailDelivery: notify.enabled,
    onAttention,
  });
  if (http) notify.watchBreaker('nowpayments', () => http.state());
  const stars = createStars({
    db,
    clock,
    logger,
    orders,
    users,
    catalog,
    starsPerUsd: config.stars.perUsd,
    onAttention,
  });
  return {
    payments,
    stars,
    /** Buying in Telegram step by step, with typed refusals (the bot words them). */
    checkout: createCheckout({ payments, stars, orders, catalog, clock }),
    /** NOWPayments as a `/ready` component: down while its circuit breaker is open (failing fast). */
    health: () =>
      http
        ? { status: http.state() === 'open' ? ('down' as const) : ('up' as const), detail: `circuit ${http.state()}` }
        : { status: 'disabled' as const },
    registerJobs: (queue: Queue) => queue.register('reconcile-payments', () => payments.reconcile()),
    /** Recurring work, from when the app starts. */
    scheduleJobs: (queue: Queue) => void queue.schedule('reconcile-payments', RECONCILE_EVERY_MS),
    close: () => http?.close(),
  };
}
