import { disabledIntegrations, type Config } from './config.ts';
import type { ComponentState } from './http/routes/health.ts';
import { createHttpServer } from './http/server.ts';
import type { Logger } from './lib/logger.ts';
import { openStore, type Store } from './store/database.ts';
import { isMigrated, migrate } from './store/migrate.ts';

export interface AppDeps {
  config: Config;
  logger: Logger;
  /** Defaults to the file under DATA_DIR; tests may pass ':memory:'. */
  databasePath?: string;
}

export interface App {
  store: Store;
  http: ReturnType<typeof createHttpServer>;
  /** Listens on the configured host and port (0 = any free port). Returns the bound port. */
  start(): Promise<number>;
  /** Stops accepting, lets in-flight requests finish, closes the database. Idempotent. */
  stop(): Promise<void>;
}

/** Composition root: builds every piece from the config and wires them together. */
export function createApp({ config, logger, databasePath }: AppDeps): App {
  const store = openStore(databasePath ?? config.databasePath);
  const applied = migrate(store.db);
  if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');

  const readiness = (): Record<string, ComponentState> => ({
    database: isMigrated(store.db) ? { status: 'up' } : { status: 'down', detail: 'migrations pending' },
    telegram: config.telegram.token ? { status: 'up' } : { status: 'disabled' },
    nowpayments: config.nowpayments.apiKey ? { status: 'up' } : { status: 'disabled' },
    smtp: config.smtp.server ? { status: 'up' } : { status: 'disabled' },
  });

  const http = createHttpServer({ readiness, maxRequestBodySize: config.maxFileSizeBytes + 1024 * 1024 });
  let stopping: Promise<void> | undefined;

  return {
    store,
    http,
    async start() {
      http.listen({ port: config.http.port, hostname: config.http.host });
      const port = http.server?.port ?? config.http.port;
      const off = disabledIntegrations(config);
      if (off.length > 0) logger.info({ disabled: off }, `integrations disabled: ${off.join('; ')}`);
      logger.info({ host: config.http.host, port, database: databasePath ?? config.databasePath }, 'listening');
      return port;
    },
    stop() {
      stopping ??= (async () => {
        await http.stop();
        store.close();
        logger.info('stopped');
      })();
      return stopping;
    },
  };
}
