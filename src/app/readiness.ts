import type { ComponentState, ReadinessProbe } from '../http/routes/health.ts';
import type { Db } from '../store/database.ts';
import { isMigrated } from '../store/migrate.ts';

export interface ReadinessDeps {
  db: Db;
  /** The Telegram face's state (src/app/telegram.ts). */
  telegram: { readiness(): ComponentState };
  /** The payments module's view of NOWPayments (its circuit breaker). */
  payments: { health(): ComponentState };
  /** The notify module's view of the SMTP server (its last check or send). */
  notify: { health(): ComponentState };
  /** Redis (REDIS_URL): degraded while the in-process fallbacks serve. */
  redis: { readiness(): ComponentState };
}

/** What `/ready` reports, one component per dependency the marketplace needs to serve. */
export function createReadiness({ db, telegram, payments, notify, redis }: ReadinessDeps): ReadinessProbe {
  return () => ({
    database: isMigrated(db) ? { status: 'up' } : { status: 'down', detail: 'migrations pending' },
    telegram: telegram.readiness(),
    nowpayments: payments.health(),
    smtp: notify.health(),
    redis: redis.readiness(),
  });
}
