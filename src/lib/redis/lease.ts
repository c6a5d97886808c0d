import { systemClock, type Clock } from '../clock.ts';
import type { Logger } from '../logger.ts';
import type { RedisConnection } from './connection.ts';

export interface LeaderLeaseOptions {
  /** Unset: a single process, always the leader from start() to stop(). */
  redis?: RedisConnection;
  /** The Redis key all candidates compete for, e.g. `techbot:leader`. */
  key?: string;
  /** This process among the candidates; unique (a random id by default). */
  owner?: string;
  /** How long a lease lasts unless renewed: a dead leader is replaced within about this long. */
  leaseMs: number;
  /** Renewal (and, for followers, acquisition) attempts; default a third of the lease. */
  renewEveryMs?: number;
  clock?: Clock;
  /** Called when this process becomes the leader, then onLose when it stops being it, alternately. */
  onAcquire: () => void | Promise<void>;
  onLose: () => void | Promise<void>;
  logger?: Pick<Logger, 'info' | 'warn'>;
}

export interface LeaderLease {
  isLeader(): boolean;
  /** Starts competing; the first attempt is made at once. */
  start(): void;
  /** Stops competing: hands the lease back (another process takes it at its next attempt) and calls onLose. */
  stop(): Promise<void>;
}

// Renewal: only the owner extends the lease. KEYS: lease; ARGV: owner, lease ms.
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
// Hand-back: only the owner deletes it. KEYS: lease; ARGV: owner.
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * One leader among processes sharing a Redis: SET NX PX takes the lease, a compare-and-PEXPIRE
 * script renews it, a compare-and-DEL script hands it back. The leader gives up leadership (onLose)
 * as soon as it can no longer be sure to hold the lease, before it can have expired in Redis:
 * after a failed renewal when the lease would run out before the next attempt. So while Redis is
 * down no process leads, rather than two.
 */
export function createLeaderLease(options: LeaderLeaseOptions): LeaderLease {
  const { redis, key = 'techbot:leader', owner = crypto.randomUUID(), leaseMs, clock = systemClock } = options;
  const { onAcquire, onLose, logger } = options;
  const renewEveryMs = options.renewEveryMs ?? Math.floor(leaseMs / 3);
  if (!(leaseMs > 0) || !(renewEveryMs > 0) || renewEveryMs >= leaseMs) {
    throw new RangeError('leader lease: leaseMs must be > 0 and renewEveryMs between 0 and leaseMs');
  }
  let leader = false;
  /** Clock time before which the lease is surely still ours (measured from when the command was sent). */
  let heldUntil = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | undefined;
  let stopped = true;

  async function become(next: boolean, why: string): Promise<void> {
    leader = next;
    if (next) logger?.info({ owner, why }, 'leader lease acquired');
    else logger?.warn({ owner, why }, 'leader lease lost');
    try {
      await (next ? onAcquire() : onLose());
    } catch (error) {
      logger?.warn({ owner, err: error }, `leader lease: ${next ? 'onAcquire' : 'onLose'} failed`);
    }
  }

  /** 1 when this process holds the lease after the call, 0 when another does; throws when Redis fails. */
  async function attempt(client: RedisConnection['client']): Promise<number> {
    if (!leader && (await client.set(key, owner, 'PX', leaseMs, 'NX')) === 'OK') return 1;
    // Also for a follower: a lease still ours in Redis (kept across a failed renewal) is taken back.
    return Number(await client.eval(RENEW, 1, key, owner, String(leaseMs)));
  }

  async function tick(): Promise<void> {
    const sentAt = clock.now();
    let held: number | undefined;
    if (redis!.isUp()) held = await attempt(redis!.client).catch(() => undefined);
    if (held === 1) {
      heldUntil = sentAt + leaseMs;
      if (!leader) await become(true, 'acquired');
    } else if (leader && held === 0) {
      await become(false, 'held by another process');
    } else if (leader && held === undefined && clock.now() + renewEveryMs >= heldUntil) {
      await become(false, 'could not renew before expiry (redis unavailable)');
    }
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tick().finally(schedule);
    }, renewEveryMs);
    timer.unref?.();
  }

  return {
    isLeader: () => leader,
    start() {
      if (!stopped) return;
      stopped = false;
      if (!redis) {
        running = become(true, 'no redis: single process');
        return;
      }
      running = tick().finally(schedule);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      clearTimeout(timer);
      await running;
      if (!leader) return;
      if (redis?.isUp()) await redis.client.eval(RELEASE, 1, key, owner).catch(() => undefined);
      await become(false, 'stopped');
    },
  };
}
