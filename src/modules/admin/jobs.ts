import { isoOrNull } from '../../lib/clock.ts';
import type { JobRecord, Queue } from '../../lib/queue.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import type { Db } from '../../store/database.ts';
import { EMAIL_JOB, type EmailJob } from '../notify/service.ts';
import type { Audit } from './audit.ts';
import type { JobView } from './ops-model.ts';

export type JobDesk = Pick<Queue, 'list' | 'get' | 'retryDead' | 'discardDead' | 'stats'>;

function parsed(payload: string): unknown {
  try {
    return JSON.parse(payload);
  } catch {
    return payload;
  }
}

/**
 * What an operator reads of a payload, and what the audit keeps of it. An e-mail's arguments
 * carry signed download links and order tokens (bearer secrets): only whom, why and in which
 * language are shown.
 */
function visiblePayload(job: JobRecord): unknown {
  const payload = parsed(job.payload);
  if (job.kind !== EMAIL_JOB || payload === null || typeof payload !== 'object') return payload;
  const { purpose, to, lang } = payload as Partial<EmailJob>;
  return { purpose, to, lang };
}

/**
 * What a job was for, in a few words: its unique key names the work (`deliver:ORD-…`,
 * `broadcast:3:2`); else its visible payload, shortened.
 */
function purposeOf(job: JobRecord): string {
  if (job.uniqueKey) return job.uniqueKey;
  const shown = JSON.stringify(visiblePayload(job)) ?? '';
  return shown.length > 80 ? `${shown.slice(0, 79)}…` : shown;
}

export function toJobView(job: JobRecord): JobView {
  const payload = visiblePayload(job);
  const orderId = (payload as { orderId?: unknown } | null)?.orderId;
  return {
    id: job.id,
    kind: job.kind,
    status: job.status,
    for: purposeOf(job),
    order_id: typeof orderId === 'string' ? orderId : null,
    payload,
    attempts: job.attempts,
    max_attempts: job.maxAttempts,
    last_error: job.lastError,
    run_at: new Date(job.runAt).toISOString(),
    created_at: new Date(job.createdAt).toISOString(),
    finished_at: isoOrNull(job.finishedAt),
  };
}

/**
 * The operator's side of the job queue: dead jobs listed, retried (back to ready, run again) or
 * discarded (deleted; the audit row keeps what it was). Each change and its audit row in one
 * transaction; a job that is no longer dead (retried by someone else meanwhile) is a conflict.
 */
export function createAdminJobs({ db, audit, queue }: { db: Db; audit: Audit; queue: JobDesk }) {
  function deadOrThrow(id: number): JobRecord {
    const job = queue.get(id);
    if (!job) throw notFound(`job ${id}`);
    if (job.status !== 'dead')
      throw new AppError('conflict', `only a dead job can be changed; job ${id} is ${job.status}`);
    return job;
  }

  function change(actor: string, id: number, action: 'job_retry' | 'job_discard'): JobView {
    return db.transaction(
      (tx) => {
        deadOrThrow(id);
        const job = action === 'job_retry' ? queue.retryDead(id) : queue.discardDead(id);
        if (!job) throw new AppError('conflict', `job ${id} is no longer dead`);
        const { kind, attempts, lastError: last_error } = job;
        audit.record(
          {
            actor,
            action,
            target: `job:${id}`,
            details: { kind, for: purposeOf(job), attempts, last_error, payload: visiblePayload(job) },
          },
          tx,
        );
        return toJobView(job);
      },
      { behavior: 'immediate' },
    );
  }

  return {
    list: (filter: Parameters<JobDesk['list']>[0] = {}) => queue.list(filter).map(toJobView),
    deadCount: () => queue.stats().byStatus.dead,
    retry: (actor: string, id: number) => change(actor, id, 'job_retry'),
    discard: (actor: string, id: number) => change(actor, id, 'job_discard'),
  };
}

export type AdminJobs = ReturnType<typeof createAdminJobs>;
