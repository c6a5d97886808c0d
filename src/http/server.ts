import { Elysia } from 'elysia';
import type { Config } from '../config.ts';
import { paced, pacedWhole } from '../lib/body-pace.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import type { Metrics } from '../lib/metrics.ts';
import type { LimiterFactory } from '../lib/rate-limit.ts';
import { clientResolver, parseAddressRanges } from '../lib/trusted-proxies.ts';
import type { Admin } from '../modules/admin/index.ts';
import type { Catalog } from '../modules/catalog/service.ts';
import type { PublicUrls } from '../modules/base.ts';
import type { Downloads } from '../modules/files/downloads.ts';
import type { Files } from '../modules/files/service.ts';
import type { OrderAccess } from '../modules/orders/access.ts';
import type { Orders } from '../modules/orders/service.ts';
import type { Payments } from '../modules/payments/service.ts';
import type { ApiKeys } from '../modules/users/api-keys.ts';
import { verifiedKeyId } from './plugins/auth.ts';
import { clientAddress } from './plugins/client.ts';
import { bodyLimitPlugin, type Pacer } from './plugins/body-limit.ts';
import { errorsPlugin } from './plugins/errors.ts';
import { metricsPlugin } from './plugins/metrics.ts';
import { openapiPlugin } from './plugins/openapi.ts';
import { rateLimitPlugin } from './plugins/rate-limit.ts';
import { apiRateLimits, inProcessLimiters } from './rate-limits.ts';
import { adminRoutes } from './routes/admin.ts';
import { adminOpsRoutes } from './routes/admin-ops.ts';
import { adminInboxRoutes } from './routes/admin-inbox.ts';
import { adminBroadcastRoutes } from './routes/admin-broadcasts.ts';
import { adminPayoutRoutes } from './routes/admin-payouts.ts';
import { adminJobRoutes } from './routes/admin-jobs.ts';
import { catalogRoutes } from './routes/catalog.ts';
import { DOWNLOADS_PATH, downloadRoutes } from './routes/downloads.ts';
import { fileRoutes, UPLOAD_ROUTE } from './routes/files.ts';
import { UPLOAD_PAGE_PATH, uploadPageRoutes } from './routes/upload-page.ts';
import { adminOrderRoutes } from './routes/orders-admin.ts';
import { IPN_PATH, paymentRoutes } from './routes/payments.ts';
import { orderDownloadPath, orderTokenRoutes } from './routes/orders-public.ts';
import { healthRoutes, type ReadinessProbe } from './routes/health.ts';
import { sellerRoutes } from './routes/sellers.ts';
// A seller's own courses (list with sales, delete).
import { sellerCourseRoutes } from './routes/seller-courses.ts';
import type { Sellers } from '../modules/sellers/index.ts';
// Course cover photos (set, remove, serve).
import { COVER_MAX_BYTES, coverRoutes, isCoverUpload } from './routes/covers.ts';

export interface HttpDeps {
  logger: Logger;
  metrics: Metrics;
  version: string;
  clock: Clock;
  /** PUBLIC_URL (the OpenAPI server), the API's rate limit, the pace of bodies (BODY_TIMEOUT). */
  config: Pick<Config, 'http' | 'rateLimit' | 'bodyTimeoutMs'>;
  readiness: ReadinessProbe;
  catalog: Catalog;
  apiKeys: ApiKeys;
  orders: Orders;
  payments: Payments;
  downloads: Downloads;
  files: Files;
  admin: Admin;
  sellers: Sellers;
  orderAccess: OrderAccess;
  /** Shared through Redis when REDIS_URL is set; in-process by default. */
  limiters?: LimiterFactory;
}

/** JSON bodies are small; only the upload route streams a large body (and limits it itself). */
const JSON_BODY_LIMIT = 1024 * 1024;
/** A real NOWPayments IPN is under 4 kB; four times that leaves room for fields they may add. */
const IPN_BODY_LIMIT = 16 * 1024;
/** Bun's default, made explicit: the body pace rule turns it off while a body arrives, then restores it. */
const IDLE_TIMEOUT_SECONDS = 10;
/** A request body must bring each further 16 KiB within BODY_TIMEOUT seconds of waiting (~1.6 kB/s at the default 10 s). */
const BODY_PACE_STEP_BYTES = 16 * 1024;
/**
 * Bun's own limit answers with an empty 413; the upload route enforces MAX_FILE_SIZE_MB while
 * streaming (JSON 413) and the body-limit plugin caps every other route.
 */
const MAX_REQUEST_BODY_SIZE = Number.MAX_SAFE_INTEGER;

/** Only the API is rate limited; probes, metrics, docs and the provider's callbacks are not. */
const exempt = (path: string) => !path.startsWith('/api/') || path.startsWith('/api/ipn/');

/** URL paths whose next segment is a credential: the logger scrubs it from every line. */
export const SECRET_URL_PATHS = [DOWNLOADS_PATH, UPLOAD_PAGE_PATH];

/**
 * The URLs of this face that the modules hand out (app.ts passes them on): the upload page of a
 * seller's link (relative without PUBLIC_URL), download links and the IPN callback (none without).
 */
export function publicRoutes(publicUrl: string | undefined): PublicUrls {
  const at = (path: string) => (publicUrl ? `${publicUrl}${path}` : undefined);
  return {
    uploadPage: at(UPLOAD_PAGE_PATH) ?? UPLOAD_PAGE_PATH,
    downloads: at(DOWNLOADS_PATH),
    ipn: at(IPN_PATH),
    orderDownload: publicUrl ? (orderId, token) => `${publicUrl}${orderDownloadPath(orderId, token)}` : undefined,
  };
}

/** TRUSTED_PROXIES as ranges (validated with the configuration). */
function trustedProxies(list: string | undefined) {
  const parsed = list === undefined ? undefined : parseAddressRanges(list);
  return parsed && 'ranges' in parsed ? parsed.ranges : undefined;
}

/** The HTTP face: builds the Elysia app; app.ts decides when it listens. */
export function createHttpServer(deps: HttpDeps) {
  const { ipnFailures, ...rateLimit } = apiRateLimits(
    deps.config.rateLimit,
    deps.limiters ?? inProcessLimiters(deps.clock),
  );
  const clientOf = clientAddress(clientResolver(trustedProxies(deps.config.http.trustedProxies)));
  const rule = { timeoutMs: deps.config.bodyTimeoutMs, stepBytes: BODY_PACE_STEP_BYTES };
  const paceOptions = { rule, clock: deps.clock, onTooSlow: () => deps.metrics.http.bodyTimeouts.inc() };
  const pace: Pacer = (body) => paced(body, paceOptions);
  const paceWhole = { bytes: rule.stepBytes, read: (read: () => Promise<Uint8Array>) => pacedWhole(read, paceOptions) };
  // onRequest hooks run in this order: count the request, limit it (before any other refusal),
  // then read its body.
  return new Elysia({ serve: { maxRequestBodySize: MAX_REQUEST_BODY_SIZE, idleTimeout: IDLE_TIMEOUT_SECONDS } })
    .use(errorsPlugin(deps.logger))
    .use(metricsPlugin(deps.metrics))
    .use(
      rateLimitPlugin({
        ...rateLimit,
        exempt,
        verifiedKeyId: verifiedKeyId(deps.apiKeys),
        clientOf,
        metrics: deps.metrics,
      }),
    )
    .use(
      bodyLimitPlugin({
        maxBytes: JSON_BODY_LIMIT,
        caps: { [IPN_PATH]: IPN_BODY_LIMIT },
        // A course's cover image is a raw body of up to 5 MB.
        capOf: (path) => (isCoverUpload(path) ? COVER_MAX_BYTES : undefined),
        streamed: (path) => path === UPLOAD_ROUTE,
        pace,
        paceWhole,
        idleTimeoutSeconds: IDLE_TIMEOUT_SECONDS,
      }),
    )
    .use(openapiPlugin({ version: deps.version, serverUrl: deps.config.http.publicUrl }))
    .use(healthRoutes(deps.readiness))
    .use(catalogRoutes(deps.catalog, deps.apiKeys))
    .use(adminRoutes(deps.apiKeys))
    .use(paymentRoutes(deps.payments, { ipnFailures, clientOf, metrics: deps.metrics }))
    .use(orderTokenRoutes(deps.orderAccess))
    .use(downloadRoutes(deps.downloads))
    .use(fileRoutes(deps.files, deps.apiKeys, pace))
    .use(uploadPageRoutes(deps.files))
    .use(adminOrderRoutes(deps.orders, deps.admin, deps.apiKeys))
    .use(adminOpsRoutes(deps.admin, deps.apiKeys))
    .use(adminInboxRoutes(deps.admin, deps.apiKeys))
    .use(adminBroadcastRoutes(deps.admin, deps.apiKeys))
    .use(adminPayoutRoutes(deps.admin, deps.apiKeys))
    .use(adminJobRoutes(deps.admin, deps.apiKeys))
    .use(sellerRoutes(deps.sellers, deps.apiKeys))
    .use(sellerCourseRoutes(deps.sellers, deps.apiKeys))
    .use(coverRoutes(deps.catalog, deps.apiKeys));
}

export type HttpServer = ReturnType<typeof createHttpServer>;
