import { autoRetry } from '@grammyjs/auto-retry';
import { sequentialize } from '@grammyjs/runner';
import { Bot, type Middleware } from 'grammy';
import type { Config } from '../config.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import type { Metrics } from '../lib/metrics.ts';
import type { RateLimiter } from '../lib/rate-limit.ts';
import type { Db } from '../store/database.ts';
import type { BotContext, BotServices } from './context.ts';
import { buyFeature } from './features/buy.ts';
import { catalogFeature } from './features/catalog.ts';
import { fallbackFeature } from './features/fallback.ts';
import { helpFeature } from './features/help.ts';
import { languageFeature } from './features/language.ts';
// library, reviews, support
import { libraryFeature } from './features/library.ts';
import { membershipFeature } from './features/membership.ts';
import { reviewsFeature } from './features/reviews.ts';
import { supportFeature } from './features/support.ts';
import { endAwaitingOnAction } from './middleware/awaiting.ts';
import { searchFeature } from './features/search.ts';
import { startFeature } from './features/start.ts';
import { answerCallbacks } from './middleware/answer-callbacks.ts';
import { apologize } from './middleware/errors.ts';
import { createI18n } from './middleware/i18n.ts';
import { rateLimit } from './middleware/rate-limit.ts';
import { sessionKey, sessionMiddleware, sqliteSessionStorage } from './middleware/session.ts';
import { createBotMetrics, updateLogging } from './middleware/updates.ts';
import { ignoreBanned, upsertUser } from './middleware/users.ts';

export interface BotDeps {
  config: Config;
  services: BotServices;
  db: Db;
  logger: Logger;
  metrics: Metrics;
  clock: Clock;
  /** Per Telegram user, messages and the buttons that act; RATE_LIMIT_REQUESTS per RATE_LIMIT_WINDOW. */
  rateLimiter: RateLimiter;
  /** Per Telegram user, browsing buttons; BROWSE_PRESSES_PER_MESSAGE x RATE_LIMIT_REQUESTS per RATE_LIMIT_WINDOW. */
  buttonLimiter: RateLimiter;
}

/**
 * Browsing a list takes several presses per thing looked at (page, card, back), where a typed
 * search takes one message: the browsing budget is this many times the message budget.
 */
export const BROWSE_PRESSES_PER_MESSAGE = 4;

/** Flood waits longer than this are not waited out: the call fails and the error is logged. */
const MAX_FLOOD_WAIT_SECONDS = 60;

/**
 * The Telegram face. The order of the chain matters:
 * per-chat ordering -> update metrics and log -> error boundary { banned users dropped ->
 * user upsert -> per-user rate limits (messages, browsing buttons) -> session -> i18n -> features -> fallback }.
 * Needs TELEGRAM_TOKEN; app.ts does not build it without one.
 */
export function createBot({ config, services, db, logger, metrics, clock, rateLimiter, buttonLimiter }: BotDeps): Bot<BotContext> {
  const token = config.telegram.token;
  if (!token) throw new Error('createBot needs TELEGRAM_TOKEN');
  const bot = new Bot<BotContext>(token, { client: { apiRoot: config.telegram.apiRoot } });
  // 429 "retry after N": wait N seconds and try again. Network errors are not retried here
  // (the runner retries getUpdates itself; a send failing is reported, not looped on).
  bot.api.config.use(autoRetry({ maxDelaySeconds: MAX_FLOOD_WAIT_SECONDS, maxRetryAttempts: 3, rethrowHttpErrors: true }));

  const i18n = createI18n();
  const botMetrics = createBotMetrics(metrics.registry);
  const onError = apologize(i18n, logger, botMetrics);

  /**
   * The features, in the order they see an update. features/buy.ts (crypto and Stars),
   * library.ts, reviews.ts and support.ts go before search, which takes any leftover text.
   */
  const features: Middleware<BotContext>[] = [
    startFeature,
    helpFeature,
    languageFeature,
    catalogFeature,
    buyFeature,
    // library, reviews, support (reviews and support wait for typed text: before search)
    libraryFeature,
    reviewsFeature,
    supportFeature,
    membershipFeature,
    searchFeature,
  ];

  bot.use(sequentialize(sessionKey));
  bot.use(updateLogging(botMetrics, logger));
  bot.use((ctx, next) => {
    ctx.services = services;
    return next();
  });
  bot
    .errorBoundary(onError)
    .use(ignoreBanned)
    .use(upsertUser)
    .use(
      rateLimit({
        limiter: rateLimiter,
        buttonLimiter,
        clock,
        windowSeconds: config.rateLimit.windowSeconds,
        i18n,
        onLimited: (scope) => metrics.rateLimited.inc({ scope }),
      }),
    )
    .use(sessionMiddleware(sqliteSessionStorage(db, clock)))
    .use(i18n)
    .use(answerCallbacks)
    // A command or a button press ends any wait for typed text (reviews, support).
    .use(endAwaitingOnAction)
    .use(...features, fallbackFeature);
  // Errors outside the boundary (a failing metrics or ordering middleware): log, never crash.
  bot.catch((error) => void onError(error));
  return bot;
}

export { commandsFor } from './commands.ts';
