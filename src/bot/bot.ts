import { createConversation } from '@grammyjs/conversations';
import { autoRetry } from '@grammyjs/auto-retry';
import { sequentialize } from '@grammyjs/runner';
import { Bot, type Transformer } from 'grammy';
import { type Config, emailEnabled } from '../config.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import type { Metrics } from '../lib/metrics.ts';
import type { Limiter } from '../lib/rate-limit.ts';
import { botSessionStore } from '../store/bot-sessions.ts';
import type { Db } from '../store/database.ts';
import type { BotContext, BotServices } from './context.ts';
import { adminFeature, adminGate } from './features/admin.ts';
import { adminModerationFeature } from './features/admin-moderation.ts';
import { adminBroadcastFeature } from './features/admin-broadcast.ts';
import { adminPayoutsFeature } from './features/admin-payouts.ts';
import { adminRefundsFeature } from './features/admin-refunds.ts';
import { adminStatsFeature } from './features/admin-stats.ts';
import { adminTicketsFeature } from './features/admin-tickets.ts';
import { adminJobsFeature } from './features/admin-jobs.ts';
import { adminOrdersFeature } from './features/admin-orders.ts';
import { adminOrderListsFeature } from './features/admin-order-lists.ts';
import { adminPayoutExportFeature } from './features/admin-payout-export.ts';
import { apiKeyFeature } from './features/api-key.ts';
import { buyFeature } from './features/buy.ts';
import { catalogFeature } from './features/catalog.ts';
import { fallbackFeature } from './features/fallback.ts';
import { helpFeature } from './features/help.ts';
import { languageFeature } from './features/language.ts';
import { emailFeature } from './features/email.ts';
import { libraryFeature } from './features/library.ts';
import { membershipFeature } from './features/membership.ts';
import { REVIEW_COMMENT, reviewCommentConversation, reviewsFeature } from './features/reviews.ts';
import {
  discardAbandonedDraft,
  EDIT_COURSE,
  NEW_COURSE,
  newCourseConversation,
  newCourseFeature,
} from './features/new-course.ts';
// /mycourses and its edit conversation.
import { editCourseConversation, editCourseFeature } from './features/edit-course.ts';
import { myCoursesFeature } from './features/my-courses.ts';
import { dashboardFeature } from './features/dashboard.ts';
import { payoutFeature } from './features/payout.ts';
import { PAYOUT_ADDRESS, payoutAddressConversation, payoutAddressFeature } from './features/payout-address.ts';
import { sellerStatusGate } from './features/seller-status.ts';
import { searchFeature } from './features/search.ts';
import { SELLER_ONBOARDING, sellerOnboardingConversation, sellFeature } from './features/sell.ts';
import { startFeature } from './features/start.ts';
import { SUPPORT_TICKET, supportFeature, supportTicketConversation } from './features/support.ts';
import { answerCallbacks } from './middleware/answer-callbacks.ts';
import { conversationsMiddleware, leaveConversations } from './middleware/conversations.ts';
import { apologize } from './middleware/errors.ts';
import { htmlReplies } from './middleware/html.ts';
import { i18n } from './middleware/i18n.ts';
import { rateLimit } from './middleware/rate-limit.ts';
import { sessionKey, sessionMiddleware } from './middleware/session.ts';
import { createBotMetrics, updateLogging } from './middleware/updates.ts';
import { ignoreBanned, upsertUser } from './middleware/users.ts';

/** The module services the features call (by their own names), and what the bot itself runs on. */
export interface BotDeps extends BotServices {
  config: Config;
  /** Sessions and conversations are kept in its bot_sessions table. */
  db: Db;
  logger: Logger;
  metrics: Metrics;
  clock: Clock;
  /** Per Telegram user, messages and the buttons that act; RATE_LIMIT_REQUESTS per RATE_LIMIT_WINDOW. */
  rateLimiter: Limiter;
  /** Per Telegram user, browsing buttons; BROWSE_PRESSES_PER_MESSAGE x RATE_LIMIT_REQUESTS per RATE_LIMIT_WINDOW. */
  buttonLimiter: Limiter;
  /**
   * Installed on the Bot API client first, under auto-retry and everything else: a transformer
   * here sees every call the bot makes as it would go out (tests answer them in process).
   */
  apiTransformers?: Transformer[];
  /** Downloads of files sent to the bot (`<apiRoot>/file/bot<token>/<path>`); tests answer them in process. */
  fetchFile?: (url: string) => Promise<Response>;
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
 * per-chat ordering -> update metrics and log -> error boundary { HTML replies -> banned users
 * dropped -> user upsert -> per-user rate limits (messages, browsing buttons) -> session ->
 * i18n -> conversations (/cancel; a command or a button leaves them; a waiting one takes the
 * chat's next text) -> features -> fallback }.
 * Needs TELEGRAM_TOKEN; app.ts does not build it without one.
 */
export function createBot(deps: BotDeps): Bot<BotContext> {
  const {
    config,
    db,
    logger,
    metrics,
    clock,
    rateLimiter,
    buttonLimiter,
    apiTransformers = [],
    fetchFile = (url) => fetch(url),
    ...services
  } = deps;
  const token = config.telegram.token;
  if (!token) throw new Error('createBot needs TELEGRAM_TOKEN');
  const bot = new Bot<BotContext>(token, { client: { apiRoot: config.telegram.apiRoot } });
  bot.api.config.use(...apiTransformers);
  // 429 "retry after N": wait N seconds and try again. Network errors are not retried here
  // (the runner retries getUpdates itself; a send failing is reported, not looped on).
  bot.api.config.use(
    autoRetry({ maxDelaySeconds: MAX_FLOOD_WAIT_SECONDS, maxRetryAttempts: 3, rethrowHttpErrors: true }),
  );

  const telegramFile = (path: string) => fetchFile(`${config.telegram.apiRoot}/file/bot${token}/${path}`);
  const botMetrics = createBotMetrics(metrics.registry);
  const onError = apologize(logger, botMetrics);

  bot.use(sequentialize(sessionKey));
  bot.use(updateLogging(botMetrics, logger));
  bot.use((ctx, next) => {
    ctx.services = services;
    return next();
  });
  bot
    .errorBoundary(onError)
    .use(htmlReplies)
    .use(ignoreBanned)
    .use(upsertUser)
    .use(
      rateLimit({
        limiter: rateLimiter,
        buttonLimiter,
        clock,
        windowSeconds: config.rateLimit.windowSeconds,
        onLimited: (scope) => metrics.rateLimited.inc({ scope }),
      }),
    )
    .use(sessionMiddleware(botSessionStore(db, clock)))
    .use(i18n)
    .use(answerCallbacks)
    .use(conversationsMiddleware(botSessionStore(db, clock)))
    // Wraps /cancel and the conversations, so an abandoned course's file is deleted.
    .use(discardAbandonedDraft)
    .use(leaveConversations)
    .use(createConversation(reviewCommentConversation(clock), REVIEW_COMMENT))
    .use(createConversation(supportTicketConversation(clock), SUPPORT_TICKET))
    .use(createConversation(sellerOnboardingConversation(clock), SELLER_ONBOARDING))
    .use(createConversation(payoutAddressConversation(clock), PAYOUT_ADDRESS))
    .use(createConversation(newCourseConversation({ clock, fetchFile: telegramFile }), NEW_COURSE))
    .use(createConversation(editCourseConversation({ clock, fetchFile: telegramFile }), EDIT_COURSE))
    // Search takes any leftover text: it comes last but for the fallback.
    .use(
      // admin: the gate first, so no admin command or button reaches a handler unchecked.
      adminGate,
      adminFeature,
      adminRefundsFeature,
      adminModerationFeature,
      adminStatsFeature,
      adminTicketsFeature,
      adminBroadcastFeature,
      adminPayoutsFeature,
      adminJobsFeature,
      adminOrdersFeature,
      adminOrderListsFeature,
      adminPayoutExportFeature,
      startFeature,
      helpFeature,
      languageFeature,
      emailFeature({ enabled: emailEnabled(config) }),
      catalogFeature,
      buyFeature,
      libraryFeature,
      reviewsFeature,
      supportFeature,
      sellerStatusGate,
      sellFeature,
      newCourseFeature,
      myCoursesFeature,
      editCourseFeature,
      dashboardFeature,
      apiKeyFeature,
      payoutFeature({ adminIds: config.admin.telegramIds }),
      payoutAddressFeature,
      membershipFeature,
      searchFeature,
      fallbackFeature,
    );
  // Errors outside the boundary (a failing metrics or ordering middleware): log, never crash.
  bot.catch((error) => void onError(error));
  return bot;
}

export { commandsFor } from './commands.ts';
