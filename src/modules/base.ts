import type { Config } from '../config.ts';
import type { Cache } from '../lib/cache.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import type { Metrics } from '../lib/metrics.ts';
import type { Db } from '../store/database.ts';

/** What app.ts hands every module's factory alike; each module reads its own settings from `config`. */
export interface ModuleBase {
  db: Db;
  clock: Clock;
  logger: Logger;
  config: Config;
  /** The app's registry (metrics.registry) and database timings (metrics.timed). */
  metrics: Metrics;
  /** The shared TTL cache: catalog pages and cards, the payment provider's currencies. */
  cache: Cache<string>;
  /** Where the HTTP face serves what modules link to (from PUBLIC_URL; see http/server.ts publicRoutes). */
  urls: PublicUrls;
}

export interface PublicUrls {
  /** The upload page of a seller's one-time link (relative without PUBLIC_URL). */
  uploadPage: string;
  /** Signed download links; none without PUBLIC_URL. */
  downloads?: string;
  /** Where NOWPayments posts IPNs; none without PUBLIC_URL. */
  ipn?: string;
  /** The "get a new link" of a receipt: an order's fresh download opened by its token; none without PUBLIC_URL. */
  orderDownload?: (orderId: string, token: string) => string;
}
