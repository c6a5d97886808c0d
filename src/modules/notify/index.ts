import { emailEnabled } from '../../config.ts';
import { createMailer, type MailerOptions } from '../../lib/mailer.ts';
import type { Queue } from '../../lib/queue.ts';
import type { ModuleBase } from '../base.ts';
import { createNotify, WATCH_JOB, type NotifyQueue } from './service.ts';

export { BREAKER_ALERT_AFTER_MS, EMAIL_JOB, WATCH_JOB, type Notify } from './service.ts';

const WATCH_EVERY_MS = 60_000;

export interface NotifyModuleDeps extends ModuleBase {
  /** Where e-mails wait as durable jobs. */
  queue: NotifyQueue;
  /** Extra trust for the SMTP server's certificate (tests: the fake server's self-signed CA). */
  tls?: MailerOptions['tls'];
}

/**
 * Notify: e-mail through one SMTP server and the admin's alerts. Owns no table (its
 * e-mails are jobs of lib/queue). Without SMTP_SERVER nothing is sent and `notify.enabled` is
 * false, which makes payments refuse buyers known only by e-mail.
 */
export function createNotifyModule({ config, clock, logger, metrics, queue, tls }: NotifyModuleDeps) {
  const { smtp } = config;
  const mailer = emailEnabled(config)
    ? createMailer({
        host: smtp.server!,
        port: smtp.port,
        user: smtp.email && smtp.password ? smtp.email : undefined,
        password: smtp.password,
        from: smtp.from!,
        tls,
      })
    : undefined;
  const { registry } = metrics;
  const notify = createNotify({ mailer, adminEmail: config.admin.email, queue, clock, logger, registry });
  return {
    notify,
    /** SMTP as a `/ready` component: down fails it (an e-mail buyer could pay and not be served). */
    health: (): { status: 'up' | 'down' | 'starting' | 'disabled' } => {
      const state = notify.state();
      return { status: state === 'unknown' ? 'starting' : state };
    },
    registerJobs: (jobs: Queue) => notify.registerJobs(jobs),
    /** From when the app starts: the minute watch, and a first check of the server (not awaited: /ready shows it). */
    scheduleJobs(jobs: Queue) {
      jobs.schedule(WATCH_JOB, WATCH_EVERY_MS);
      void notify.verify();
    },
    close: () => notify.close(),
  };
}
