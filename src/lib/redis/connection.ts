import type Redis from 'ioredis';
import { systemClock, type Clock } from '../clock.ts';
import type { Logger } from '../logger.ts';

/** Whether commands can be sent right now, since when, and why not when they cannot. */
export interface RedisState {
  status: 'up' | 'down';
  /** Clock time of the last change (of the start, while it never connected). */
  since: number;
  /** Message of the last connection error; kept after recovery, for /ready to show what happened. */
  lastError?: string;
}

export interface RedisConnectionOptions {
  /** redis:// or rediss:// URL; a secret (it may hold a password), never logged. */
  url: string;
  logger: Pick<Logger, 'info' | 'warn'>;
  clock?: Clock;
  /** Give up a connection attempt after this long (then retry). */
  connectTimeoutMs?: number;
  /** A command without an answer after this long fails, so a hung Redis never holds a request. */
  commandTimeoutMs?: number;
  /** Ceiling of the back-off between reconnection attempts. */
  maxReconnectDelayMs?: number;
  /** Shown in `CLIENT LIST` and in the log lines. */
  name?: string;
}

export interface RedisConnection {
  readonly client: Redis;
  state(): RedisState;
  isUp(): boolean;
  /** Called on every change of status; returns the function that unsubscribes. */
  onChange(listener: (state: RedisState) => void): () => void;
  /** Stops reconnecting and closes the socket. */
  close(): Promise<void>;
}

/**
 * One ioredis client that reconnects by itself and fails fast while Redis is away: no offline
 * queue and one retry per command, so callers fall back to their in-process path at once instead
 * of waiting for a reconnection. Each outage is logged once, and its end once.
 */
export function createRedisConnection(options: RedisConnectionOptions): RedisConnection {
  const { url, logger, clock = systemClock, name = 'techbot' } = options;
  const { connectTimeoutMs = 2000, commandTimeoutMs = 1000, maxReconnectDelayMs = 2000 } = options;
  // Required here, not imported: only a process with REDIS_URL loads ioredis (and its debug
  // module's terminal checks), ~25 ms of CPU at every start otherwise.
  const { default: RedisClient } = require('ioredis') as typeof import('ioredis');
  const client = new RedisClient(url, {
    connectionName: name,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: connectTimeoutMs,
    commandTimeout: commandTimeoutMs,
    retryStrategy: (attempt) => Math.min(attempt * 100, maxReconnectDelayMs),
  });
  let state: RedisState = { status: 'down', since: clock.now() };
  // The first failure of an outage is logged, not the retries that follow it.
  let outageLogged = false;
  let closing = false;
  const listeners = new Set<(state: RedisState) => void>();

  function change(next: RedisState): void {
    state = next;
    for (const listener of listeners) listener(state);
  }

  function down(reason: string): void {
    if (closing) return;
    if (state.status === 'up') change({ status: 'down', since: clock.now(), lastError: reason });
    else state = { ...state, lastError: reason };
    if (outageLogged) return;
    outageLogged = true;
    logger.warn({ redis: name, error: reason }, 'redis unavailable: using in-process fallbacks until it is back');
  }

  client.on('ready', () => {
    const downMs = clock.now() - state.since;
    change({ ...state, status: 'up', since: clock.now() });
    outageLogged = false;
    logger.info({ redis: name, downMs }, 'redis connected');
  });
  // Without a listener ioredis prints every failed attempt; the state keeps the last one instead.
  client.on('error', (error: Error) => down(error.message));
  // A lost connection: the errors of the reconnection attempts that follow tell more.
  client.on('close', () => state.status === 'up' && !closing && down('connection closed'));

  return {
    client,
    state: () => state,
    isUp: () => state.status === 'up',
    onChange(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    async close() {
      closing = true;
      listeners.clear();
      // QUIT lets Redis finish what was sent; while Redis is away it would only wait for a timeout.
      if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
      else client.disconnect();
    },
  };
}
