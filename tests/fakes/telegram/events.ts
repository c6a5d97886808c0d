/**
 * What happened inside the fake, in order: messages the bot sent or edited, answers to queries,
 * update hand-offs. Tests and simulated users wait on it: a wait resolves on the event itself
 * (or on one already logged after a given point), with a bounded timeout — never a blind sleep.
 */
import type { ChatMessage } from './state.ts';
import type { UpdateStatus } from './updates.ts';

export interface CallbackAnswer {
  text?: string;
  show_alert?: boolean;
  url?: string;
  cache_time?: number;
}

export type FakeEvent =
  | { kind: 'bot-message'; chatId: number; message: ChatMessage }
  | { kind: 'bot-edit'; chatId: number; message: ChatMessage }
  | { kind: 'delete'; chatId: number; messageId: number }
  | { kind: 'call'; method: string; status: number; params: Record<string, unknown> }
  | { kind: 'callback-answer'; queryId: string; answer: CallbackAnswer }
  | { kind: 'pre-checkout-answer'; queryId: string; ok: boolean; error_message?: string }
  | { kind: 'update-status'; updateId: number; status: UpdateStatus }
  | { kind: 'long-poll'; waiting: boolean };

interface Waiter {
  pick: (event: FakeEvent) => boolean;
  fire: () => void;
  fail: (why: string) => void;
}

export class EventLog {
  private readonly entries: FakeEvent[] = [];
  private readonly waiters = new Set<Waiter>();
  private closed = false;

  /** The position after the last event: pass it as `after` to wait only for what comes next. */
  get seq(): number {
    return this.entries.length;
  }

  emit(event: FakeEvent): void {
    this.entries.push(event);
    for (const waiter of [...this.waiters]) if (waiter.pick(event)) waiter.fire();
  }

  since(after: number): FakeEvent[] {
    return this.entries.slice(after);
  }

  /**
   * The first event after position `after` for which `pick` returns a value: an event already
   * logged resolves at once, otherwise the next matching one. Rejects after `timeoutMs` with
   * the message `describe()` returns (say what was expected and what happened instead).
   */
  waitFor<T>(
    pick: (event: FakeEvent) => T | undefined,
    options: { after: number; timeoutMs: number; describe: () => string },
  ): Promise<T> {
    for (const event of this.since(options.after)) {
      const value = pick(event);
      if (value !== undefined) return Promise.resolve(value);
    }
    if (this.closed) return Promise.reject(new Error(`the fake Telegram is stopped: ${options.describe()}`));
    return new Promise<T>((resolve, reject) => {
      let value: T | undefined;
      const waiter: Waiter = {
        pick: (event) => (value = pick(event)) !== undefined,
        fire: () => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(value as T);
        },
        fail: (why) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          reject(new Error(`${why}: ${options.describe()}`));
        },
      };
      const timer = setTimeout(() => waiter.fail(`timed out after ${options.timeoutMs} ms`), options.timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** Pending waits end now (the fake is stopping); later waits fail fast. */
  close(): void {
    this.closed = true;
    for (const waiter of [...this.waiters]) waiter.fail('the fake Telegram stopped');
  }
}
