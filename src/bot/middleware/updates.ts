import { Counter, Histogram, type Registry } from '../../lib/prom.ts';
import type { Update } from 'grammy/types';
import type { MiddlewareFn } from 'grammy';
import type { Logger } from '../../lib/logger.ts';
import type { BotContext } from '../context.ts';

const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** `message`, `callback_query`, ...: the one field besides update_id that an update carries. */
export const updateType = (update: Update): string =>
  Object.keys(update).find((key) => key !== 'update_id') ?? 'unknown';

export function createBotMetrics(registry: Registry) {
  const registers = [registry];
  return {
    updates: new Counter({
      name: 'bot_updates_total',
      help: 'Telegram updates received, by type.',
      labelNames: ['type'],
      registers,
    }),
    duration: new Histogram({
      name: 'bot_update_duration_seconds',
      help: 'Time to handle one Telegram update, by type.',
      labelNames: ['type'],
      buckets: DURATION_BUCKETS,
      registers,
    }),
    errors: new Counter({
      name: 'bot_errors_total',
      help: 'Telegram updates whose handling failed (the user got an apology), by type.',
      labelNames: ['type'],
      registers,
    }),
  };
}

export type BotMetrics = ReturnType<typeof createBotMetrics>;

/** First in the chain: counts and times every update, and logs it at debug level. */
export function updateLogging(metrics: BotMetrics, logger: Logger): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const type = updateType(ctx.update);
    metrics.updates.inc({ type });
    const end = metrics.duration.startTimer({ type });
    const started = performance.now();
    try {
      await next();
    } finally {
      end();
      logger.debug(
        { update_id: ctx.update.update_id, type, user: ctx.from?.id, ms: Math.round(performance.now() - started) },
        'telegram update',
      );
    }
  };
}
