import type { Config } from '../config.ts';
import type { ComponentState, ReadinessProbe } from '../http/routes/health.ts';
import type { Db } from '../store/database.ts';
import { isMigrated } from '../store/migrate.ts';

export interface ReadinessDeps {
  db: Db;
  config: Config;
  /** The Telegram face's state (src/app/telegram.ts). */
  telegram: () => ComponentState;
  /** The payments module's view of NOWPayments (its circuit breaker). */
  nowpayments: () => ComponentState;
}

/** What `/ready` reports, one component per dependency the marketplace needs to serve. */
export function createReadiness({ db, config, telegram, nowpayments }: ReadinessDeps): ReadinessProbe {
  return () => ({
    database: isMigrated(db) ? { status: 'up' } : { status: 'down', detail: 'migrations pending' },
    telegram: telegram(),
    nowpayments: nowpayments(),
    smtp: { status: config.smtp.server ? 'up' : 'disabled' },
  });
}
