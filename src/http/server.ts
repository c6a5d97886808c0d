import { Elysia } from 'elysia';
import type { Logger } from '../lib/logger.ts';
import type { Metrics } from '../lib/metrics.ts';
import type { AdminModule } from '../modules/admin/index.ts';
import type { Catalog } from '../modules/catalog/service.ts';
import type { Downloads } from '../modules/files/downloads.ts';
import type { Files } from '../modules/files/service.ts';
import type { Orders } from '../modules/orders/service.ts';
import type { Payments } from '../modules/payments/service.ts';
import type { ApiKeys } from '../modules/users/api-keys.ts';
import { bodyLimitPlugin } from './plugins/body-limit.ts';
import { errorsPlugin } from './plugins/errors.ts';
import { metricsPlugin } from './plugins/metrics.ts';
import { openapiPlugin } from './plugins/openapi.ts';
import { rateLimitPlugin, type RateLimitOptions } from './plugins/rate-limit.ts';
import { adminRoutes } from './routes/admin.ts';
import { adminOpsRoutes } from './routes/admin-ops.ts';
import { adminInboxRoutes } from './routes/admin-inbox.ts';
import { adminBroadcastRoutes } from './routes/admin-broadcasts.ts';
import { adminPayoutRoutes } from './routes/admin-payouts.ts';
import { catalogRoutes } from './routes/catalog.ts';
import { downloadRoutes } from './routes/downloads.ts';
import { fileRoutes, UPLOAD_ROUTE } from './routes/files.ts';
import { uploadPageRoutes } from './routes/upload-page.ts';
import { adminOrderRoutes } from './routes/orders-admin.ts';
import { paymentRoutes } from './routes/payments.ts';
import { healthRoutes, type ReadinessProbe } from './routes/health.ts';
import { sellerRoutes } from './routes/sellers.ts';
import type { SellersModule } from '../modules/sellers/index.ts';

export interface HttpDeps {
  logger: Logger;
  metrics: Metrics;
  version: string;
  publicUrl?: string;
  readiness: ReadinessProbe;
  maxRequestBodySize: number;
  rateLimit: Omit<RateLimitOptions, 'metrics' | 'exempt'>;
  catalog: Catalog;
  apiKeys: ApiKeys;
  orders: Orders;
  payments: Payments;
  downloads: Downloads;
  files: Files;
  admin: AdminModule;
  sellers: SellersModule;
}

/** JSON bodies are small; only the upload route streams a large body (and limits it itself). */
const JSON_BODY_LIMIT = 1024 * 1024;

/** Only the API is rate limited; probes, metrics, docs and the provider's callbacks are not. */
const exempt = (route: string) => !route.startsWith('/api/') || route.startsWith('/api/ipn/');

/** The HTTP face: builds the Elysia app; app.ts decides when it listens. */
export function createHttpServer(deps: HttpDeps) {
  return new Elysia({ serve: { maxRequestBodySize: deps.maxRequestBodySize } })
    .use(errorsPlugin(deps.logger))
    .use(bodyLimitPlugin({ maxBytes: JSON_BODY_LIMIT, streamed: (path) => path === UPLOAD_ROUTE }))
    .use(metricsPlugin(deps.metrics))
    .use(openapiPlugin({ version: deps.version, serverUrl: deps.publicUrl }))
    .use(rateLimitPlugin({ ...deps.rateLimit, exempt, metrics: deps.metrics }))
    .use(healthRoutes(deps.readiness))
    .use(catalogRoutes(deps.catalog, deps.apiKeys))
    .use(adminRoutes(deps.apiKeys))
    .use(paymentRoutes(deps.payments))
    .use(downloadRoutes(deps.downloads))
    .use(fileRoutes(deps.files, deps.apiKeys))
    .use(uploadPageRoutes(deps.files))
    .use(adminOrderRoutes(deps.orders, deps.payments, deps.apiKeys))
    .use(adminOpsRoutes(deps.admin, deps.apiKeys))
    .use(adminInboxRoutes(deps.admin, deps.apiKeys))
    .use(adminBroadcastRoutes(deps.admin, deps.apiKeys))
    .use(adminPayoutRoutes(deps.admin, deps.apiKeys))
    .use(sellerRoutes(deps.sellers, deps.apiKeys));
}

export type HttpServer = ReturnType<typeof createHttpServer>;
