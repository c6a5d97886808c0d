import { and, desc, eq, lt } from 'drizzle-orm';
import type { Clock } from '../../lib/clock.ts';
import type { Db } from '../../store/database.ts';
import { adminActions } from '../../store/schema/index.ts';
import type { AuditEntryView } from './model.ts';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** One operator action, as the services describe it. */
export interface AuditEntry {
  /** `tg:<telegram id>` from the bot, `key:<api key id>` from the HTTP API. */
  actor: string;
  action: string;
  target?: string;
  reason?: string | null;
  details?: Record<string, unknown>;
}

export interface AuditDeps {
  db: Db;
  clock: Clock;
  /** Counts actions by kind (the `techbot_admin_actions_total` counter). */
  onRecorded?: (action: string) => void;
}

/** The `admin_actions` trail: written inside the action's own transaction, listed newest first. */
export function createAudit({ db, clock, onRecorded }: AuditDeps) {
  function record(entry: AuditEntry, tx: Tx | Db = db): void {
    tx.insert(adminActions)
      .values({
        actor: entry.actor,
        action: entry.action,
        target: entry.target ?? null,
        reason: entry.reason ?? null,
        details: entry.details ?? null,
        createdAt: clock.now(),
      })
      .run();
    onRecorded?.(entry.action);
  }

  function list(filter: { action?: string; before?: number; limit?: number } = {}): AuditEntryView[] {
    return db
      .select()
      .from(adminActions)
      .where(
        and(
          filter.action ? eq(adminActions.action, filter.action) : undefined,
          filter.before ? lt(adminActions.id, filter.before) : undefined,
        ),
      )
      .orderBy(desc(adminActions.id))
      .limit(filter.limit ?? 50)
      .all()
      .map((row) => ({
        id: row.id,
        actor: row.actor,
        action: row.action,
        target: row.target,
        reason: row.reason,
        details: row.details ?? null,
        created_at: new Date(row.createdAt).toISOString(),
      }));
  }

  return { record, list };
}

export type Audit = ReturnType<typeof createAudit>;
