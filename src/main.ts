#!/usr/bin/env bun
import { createApp } from './app.ts';
import { ConfigError, loadConfig, secretValues, type Config } from './config.ts';
import { SECRET_URL_PATHS } from './http/server.ts';
import { createLogger } from './lib/logger.ts';
import { backupStore, openStore } from './store/database.ts';
import { migrate, MigrationError } from './store/migrate.ts';
import { version } from './version.ts';

const USAGE = `techbot ${version}
usage: techbot [command]
  serve              run the marketplace (default)
  migrate            apply pending database migrations and exit
  backup <file>      write a consistent copy of the live database to <file>
  healthcheck        exit 0 when this instance's /health answers 200 (for Docker)
  version            print the version`;

/** Exit codes: 0 ok, 1 runtime failure, 2 bad configuration, 64 bad usage. */
const EXIT = { ok: 0, failure: 1, config: 2, usage: 64 } as const;

function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const line of error.problems) console.error(line);
    process.exit(EXIT.config);
  }
}

const logger = (config: Config) =>
  createLogger({ level: config.logLevel, secrets: secretValues(), secretPaths: SECRET_URL_PATHS });

/** After the start-up burst: collect its garbage once, when the first requests have been answered. */
const SETTLE_MS = 250;

/**
 * The binary starts with the JIT reluctant (`--compile-jit-policy` in the build): start-up code
 * runs once, compiling it is wasted CPU on a small machine. The normal policy comes back once the
 * start-up burst is over, usually the first pass of the jobs included (app.start begins it just
 * after listening; restoring the policy before it, the process idled 1.8 MB higher); then one full
 * collection returns what building the app left behind, so the idle process holds only what it uses.
 */
function settleAfterStart(): void {
  setTimeout(() => {
    Bun.unsafe.setJITPolicy(1);
    Bun.gc(true);
  }, SETTLE_MS).unref();
}

/** A refused migration is said in one line, and the process exits 1 (the database is unchanged). */
function migrationFailed(error: unknown, say: (refused: MigrationError) => void): number {
  if (!(error instanceof MigrationError)) throw error;
  say(error);
  return EXIT.failure;
}

async function serve(config: Config): Promise<number> {
  const log = logger(config);
  let app: ReturnType<typeof createApp>;
  try {
    app = createApp({ config, logger: log });
  } catch (error) {
    return migrationFailed(error, (refused) => log.fatal({ migration: refused.tag }, refused.message));
  }
  const { promise, resolve } = Promise.withResolvers<number>();
  const shutdown = (signal: string) => {
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      log.error('shutdown took longer than 10 s, exiting');
      resolve(EXIT.failure);
    }, 10_000);
    app.stop().then(
      () => {
        clearTimeout(force);
        resolve(EXIT.ok);
      },
      (error) => {
        log.error({ err: error }, 'shutdown failed');
        resolve(EXIT.failure);
      },
    );
  };
  // Before starting: the server answers while start() finishes, and so may be told to stop then.
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  await app.start();
  settleAfterStart();
  return promise;
}

function runMigrate(config: Config): number {
  const store = openStore(config.databasePath);
  try {
    const applied = migrate(store.db);
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
    return EXIT.ok;
  } catch (error) {
    return migrationFailed(error, (refused) => console.error(refused.message));
  } finally {
    store.close();
  }
}

function runBackup(config: Config, target: string | undefined): number {
  if (!target) {
    console.error('usage: techbot backup <file>');
    return EXIT.usage;
  }
  if (Bun.file(target).size > 0) {
    console.error(`backup: ${target} already exists; choose a new file name`);
    return EXIT.failure;
  }
  const store = openStore(config.databasePath);
  try {
    migrate(store.db);
    backupStore(store.sqlite, target);
    console.log(`backup written to ${target}`);
    return EXIT.ok;
  } catch (error) {
    return migrationFailed(error, (refused) => console.error(refused.message));
  } finally {
    store.close();
  }
}

async function healthcheck(config: Config): Promise<number> {
  const host = ['0.0.0.0', '::', ''].includes(config.http.host) ? '127.0.0.1' : config.http.host;
  try {
    const response = await fetch(`http://${host}:${config.http.port}/health`, { signal: AbortSignal.timeout(3000) });
    return response.status === 200 ? EXIT.ok : EXIT.failure;
  } catch {
    return EXIT.failure;
  }
}

async function main(argv: string[]): Promise<number> {
  const [command = 'serve', ...args] = argv;
  switch (command) {
    case 'version':
    case '--version':
      console.log(version);
      return EXIT.ok;
    case 'help':
    case '--help':
      console.log(USAGE);
      return EXIT.ok;
    case 'serve':
      return serve(configOrExit());
    case 'migrate':
      return runMigrate(configOrExit());
    case 'backup':
      return runBackup(configOrExit(), args[0]);
    case 'healthcheck':
      return healthcheck(configOrExit());
    default:
      console.error(`unknown command: ${command}\n${USAGE}`);
      return EXIT.usage;
  }
}

process.exit(await main(process.argv.slice(2)));
