import { GrammyError, HttpError } from 'grammy';
import type { Clock } from '../lib/clock.ts';

/**
 * The bot's connection to the Bot API as `/ready` shows it:
 * - `starting`: nothing answered yet (first getMe in flight);
 * - `up`: updates come in (polling: the last getUpdates answered; webhook: the webhook is set);
 * - `down`: the last attempt failed; `since` is the first failure of this run of failures.
 * `setup` lists the cosmetic calls (commands, descriptions, menu button) still failing: the bot
 * works without them and they are tried again later.
 */
export interface BotStatus {
  state: 'starting' | 'up' | 'down';
  /** ms since the epoch, from the injected clock. */
  since: number;
  /** `down`: what failed last. `up`: how updates arrive. */
  detail?: string;
  setup: Record<string, string>;
}

/** One line for a failed Bot API call, without the token (it is part of every request URL). */
export function describeFailure(error: unknown, token: string): string {
  let text: string;
  if (error instanceof GrammyError) text = `${error.error_code} ${error.description}`;
  else if (error instanceof HttpError) text = `${error.message} (${String(error.error)})`;
  else text = error instanceof Error ? error.message : String(error);
  return text.replaceAll(token, '<token>');
}

export function createBotStatus(clock: Clock) {
  let status: BotStatus = { state: 'starting', since: clock.now(), setup: {} };
  return {
    get: (): BotStatus => ({ ...status, setup: { ...status.setup } }),
    up(detail: string) {
      if (status.state !== 'up') status = { ...status, state: 'up', since: clock.now() };
      status.detail = detail;
    },
    /** True when this failure starts a run of failures (a transition worth a warning). */
    down(detail: string): boolean {
      const fresh = status.state !== 'down';
      status = { ...status, state: 'down', since: fresh ? clock.now() : status.since, detail };
      return fresh;
    },
    setupFailed: (call: string, detail: string) => void (status.setup[call] = detail),
    setupDone: (call: string) => void delete status.setup[call],
  };
}

export type BotStatusTracker = ReturnType<typeof createBotStatus>;
