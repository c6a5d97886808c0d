/**
 * The notify module: e-mail through one SMTP server, and the admin's alerts.
 *
 * Every e-mail but the receipt is one durable `email` job, unique per (purpose, order or
 * ticket or incident, recipient): enqueueing it twice sends it once, and a server that is
 * down only delays it (retries with backoff; `dead` after EMAIL_JOB.maxAttempts, which alerts
 * the admin). The receipt of an e-mail buyer is sent through `sendNow` by the orders module's
 * `deliver-receipt` job, so that the order turns `delivered` only once the server accepted it.
 */
import { Counter, Gauge, type Registry } from '../../lib/prom.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Logger } from '../../lib/logger.ts';
import type { Mailer, SentMail } from '../../lib/mailer.ts';
import { MailError } from '../../lib/mailer.ts';
import { PermanentJobError, type JobInfo, type KindOptions } from '../../lib/queue.ts';
import type { Locale, TextArgs } from '../../locales/index.ts';
import { renderEmail, type EmailPurpose } from './render.ts';

export const EMAIL_JOB = 'email';
export const WATCH_JOB = 'notify-watch';
/** Backoff up to 30 min, 40 attempts: a server down for most of a day loses nothing. */
export const EMAIL_JOB_OPTIONS: KindOptions = {
  maxAttempts: 40,
  backoff: { baseMs: 10_000, maxMs: 30 * 60_000 },
  concurrency: 2,
};
/** A circuit open longer than this is an incident worth an e-mail (one per incident). */
export const BREAKER_ALERT_AFTER_MS = 5 * 60_000;

export interface EmailJob {
  purpose: EmailPurpose;
  to: string;
  lang: Locale;
  args: TextArgs;
}

export interface NotifyQueue {
  enqueue(kind: string, payload: unknown, options: { uniqueKey?: string }): unknown;
}

export interface NotifyJobsQueue {
  register(kind: string, handler: (payload: unknown, job: JobInfo) => unknown, options?: KindOptions): void;
  onDead(listener: (job: { id: number; kind: string; payload: string; lastError: string }) => void): void;
}

export interface NotifyDeps {
  /** Absent without SMTP_SERVER: nothing is sent, `enabled` is false. */
  mailer?: Mailer;
  adminEmail?: string;
  queue: NotifyQueue;
  clock: Clock;
  logger: Logger;
  registry: Registry;
}

export type EmailOutcome = 'sent' | 'retry' | 'failed';

export function createNotify({ mailer, adminEmail, queue, clock, logger, registry }: NotifyDeps) {
  const log = logger.child({ component: 'notify' });
  const emails = new Counter({
    name: 'emails_total',
    help: 'E-mails handed to the SMTP server, by purpose and outcome (sent; retry: temporary failure; failed: refused for good).',
    labelNames: ['purpose', 'outcome'],
    registers: [registry],
  });
  new Gauge({
    name: 'smtp_up',
    help: 'The SMTP server as last seen by a verify or a send: 1 up, 0 down, -1 not checked yet (absent without SMTP).',
    registers: mailer ? [registry] : [],
    collect() {
      const state = mailer?.state();
      this.set(state === 'up' ? 1 : state === 'down' ? 0 : -1);
    },
  });

  /** Sends now and resolves once the server accepted the message; throws a MailError otherwise. */
  async function sendNow(message: EmailJob): Promise<SentMail> {
    if (!mailer) throw new MailError('e-mail is not configured (SMTP_SERVER)', true, 'ECONFIG', undefined);
    const rendered = renderEmail(message.lang, message.purpose, message.args);
    try {
      const sent = await mailer.send({ to: message.to, ...rendered });
      emails.inc({ purpose: message.purpose, outcome: 'sent' });
      return sent;
    } catch (error) {
      const permanent = error instanceof MailError && error.permanent;
      emails.inc({ purpose: message.purpose, outcome: permanent ? 'failed' : 'retry' });
      logger.warn({ err: error, purpose: message.purpose }, 'e-mail not sent');
      throw error;
    }
  }

  /** One durable job per (purpose, ref, recipient); false when e-mail is off or there is no address. */
  function enqueue(
    purpose: EmailPurpose,
    ref: string,
    to: string | null | undefined,
    lang: Locale,
    args: TextArgs,
  ): boolean {
    if (!mailer || !to) return false;
    queue.enqueue(EMAIL_JOB, { purpose, to, lang, args } satisfies EmailJob, {
      uniqueKey: `email:${purpose}:${ref}:${to}`,
    });
    return true;
  }

  /** An alert to ADMIN_EMAIL, once per `incident` (the key says what and which occurrence). */
  function alert(incident: string, title: string, detail: string): boolean {
    return enqueue('alert', incident, adminEmail, 'en', { title, detail });
  }

  const breakers = new Map<string, { state: () => string; openSince?: number; alerted?: boolean }>();
  /** Looks at the watched circuits (the WATCH_JOB, every minute): one alert per incident of more than 5 minutes. */
  function checkBreakers(): void {
    const now = clock.now();
    for (const [name, b] of breakers) {
      if (b.state() === 'closed') {
        b.openSince = undefined;
        b.alerted = false;
        continue;
      }
      b.openSince ??= now;
      if (!b.alerted && now - b.openSince >= BREAKER_ALERT_AFTER_MS) {
        b.alerted = true;
        alert(
          `breaker:${name}:${b.openSince}`,
          `${name} circuit open for more than 5 minutes`,
          `Open since ${new Date(b.openSince).toISOString()}; calls to ${name} are failing.`,
        );
      }
    }
  }

  async function verify(): Promise<void> {
    const result = await mailer?.verify();
    if (result?.state === 'down')
      log.warn({ code: result.error.code, error: result.error.message }, 'SMTP server not reachable');
  }

  /**
   * The WATCH_JOB, every minute: the circuits, and the SMTP server while it is down, so that
   * `/ready` sees it come back even when no e-mail is waiting to be sent.
   */
  async function watch(): Promise<void> {
    checkBreakers();
    if (mailer?.state() === 'down') await verify();
  }

  async function handleEmailJob(payload: unknown) {
    const message = payload as EmailJob;
    try {
      await sendNow(message);
    } catch (error) {
      if (error instanceof MailError && error.permanent)
        throw new PermanentJobError(`e-mail refused: ${error.message}`, { cause: error });
      throw error;
    }
  }

  return {
    /** True with an SMTP server configured. */
    enabled: mailer !== undefined,
    sendNow,
    enqueue,
    alert,
    /** The seller's sale notice (when the seller has an e-mail). */
    saleNotice: (input: { orderId: string; to: string | null; lang: Locale; title: string; amount: string }) =>
      enqueue('sale', input.orderId, input.to, input.lang, {
        order: input.orderId,
        title: input.title,
        amount: input.amount,
      }),
    /** The admin's reply to a support ticket, to its author's e-mail (called by the support/admin code). */
    supportReply: (input: {
      ticketId: number;
      replyId: number | string;
      to: string | null;
      lang: Locale;
      reply: string;
    }) =>
      enqueue('support-reply', `${input.ticketId}:${input.replyId}`, input.to, input.lang, {
        ticket: input.ticketId,
        reply: input.reply,
      }),
    /** An e-mail buyer's partial payment refused by the operator (a Telegram buyer is told in the bot). */
    partialRefused: (input: {
      orderId: string;
      to: string | null;
      lang: Locale;
      title: string;
      price: string;
      reason: string;
    }) =>
      enqueue('partial-refused', input.orderId, input.to, input.lang, {
        order: input.orderId,
        title: input.title,
        price: input.price,
        reason: input.reason,
      }),
    /** Watches a circuit breaker for the "open for more than 5 minutes" alert. */
    watchBreaker(name: string, state: () => string) {
      breakers.set(name, { state });
    },
    checkBreakers,
    watch,
    /** Connects, upgrades and authenticates (at start); `/ready` then shows what it found. */
    verify,
    /** For `/ready`: disabled, or the state of the last verify or send. */
    state: (): 'disabled' | 'up' | 'down' | 'unknown' => (mailer ? mailer.state() : 'disabled'),
    registerJobs(jobs: NotifyJobsQueue) {
      jobs.register(EMAIL_JOB, handleEmailJob, EMAIL_JOB_OPTIONS);
      jobs.register(WATCH_JOB, watch);
      jobs.onDead((job) => {
        let purpose: string | undefined;
        try {
          purpose = (JSON.parse(job.payload) as Partial<EmailJob> | null)?.purpose;
        } catch {}
        // A dead alert does not alert again (an SMTP server refusing alerts would loop).
        if (job.kind === EMAIL_JOB && purpose === 'alert') return;
        alert(`job-dead:${job.id}`, `job ${job.kind} #${job.id} is dead`, `Last error: ${job.lastError}`);
      });
    },
    close: () => mailer?.close(),
  };
}

export type Notify = ReturnType<typeof createNotify>;
