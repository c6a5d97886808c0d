import { Database } from 'bun:sqlite';
import { afterEach, describe, expect, test } from 'bun:test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generatedPath, imagePath, renderImageModule, renderMigrationsModule } from '../../scripts/embed-migrations.ts';
import { backupStore, openStore, type Store } from '../../src/store/database.ts';
import { createFromImage, initialImage } from '../../src/store/initial-database.ts';
import { isMigrated, migrate, MigrationError } from '../../src/store/migrate.ts';
import { embeddedMigrations } from '../../src/store/migrations.gen.ts';
import { tempDir } from '../support/env.ts';

const dirs: { cleanup(): void }[] = [];
function freshPath(): string {
  const dir = tempDir();
  dirs.push(dir);
  return join(dir.path, 'techbot.db');
}
afterEach(() => {
  for (const d of dirs.splice(0)) d.cleanup();
});

describe('migrations', () => {
  test('a fresh file gets every migration, the seven categories and the domain tables', () => {
    const store = openStore(freshPath());
    expect(isMigrated(store.db)).toBe(false);
    expect(migrate(store.db)).toEqual(embeddedMigrations.map((m) => m.tag));
    expect(isMigrated(store.db)).toBe(true);
    const tables = store.sqlite
      .query("SELECT name FROM sqlite_master WHERE type = 'table'")
      .all()
      .map((r) => (r as { name: string }).name);
    for (const table of [
      'users',
      'sellers',
      'categories',
      'products',
      'files',
      'orders',
      'order_events',
      'payments',
      'payment_events',
      'entitlements',
      'ledger_entries',
      'payouts',
      'reviews',
      'support_tickets',
      'api_keys',
      'jobs',
      'bot_sessions',
    ]) {
      expect(tables).toContain(table);
    }
    const categories = store.sqlite.query('SELECT name_fr, emoji FROM categories ORDER BY position').all();
    expect(categories).toEqual([
      { name_fr: 'Finance & Crypto', emoji: '💰' },
      { name_fr: 'Marketing Digital', emoji: '📈' },
      { name_fr: 'Développement', emoji: '💻' },
      { name_fr: 'Design & Créatif', emoji: '🎨' },
      { name_fr: 'Business', emoji: '📊' },
      { name_fr: 'Formation Pro', emoji: '🎓' },
      { name_fr: 'Outils & Tech', emoji: '🔧' },
    ]);
    store.close();
  });

  test('the money tables lose AUTOINCREMENT in place: rows and ids kept, new ids after the largest, no sequence written', () => {
    const store = openStore(freshPath());
    const upgrade = embeddedMigrations.findIndex((m) => m.tag === '0016_money_path_plain_rowids');
    migrate(store.db, embeddedMigrations.slice(0, upgrade));
    const run = (sql: string) => store.sqlite.run(sql);
    run('INSERT INTO users (id, created_at, updated_at) VALUES (1, 1, 1)');
    run("INSERT INTO sellers (id, display_name, created_at, updated_at) VALUES (1, 'S', 1, 1)");
    run(`INSERT INTO products (id, seller_id, category_id, title, description, price_cents, currency, created_at, updated_at)
         VALUES ('TBF-1', 1, 1, 'T', 'D', 100, 'USD', 1, 1)`);
    run(`INSERT INTO orders (id, buyer_id, product_id, seller_id, status, payment_method, price_cents, currency,
           fee_cents, seller_amount_cents, created_at, updated_at) VALUES ('ORD-1', 1, 'TBF-1', 1, 'paid', 'crypto', 100, 'USD', 5, 95, 1, 1)`);
    run(`INSERT INTO payments (id, order_id, provider, provider_payment_id, status, pay_currency, created_at, updated_at)
         VALUES (1, 'ORD-1', 'nowpayments', '7', 'finished', 'btc', 1, 1)`);
    // Ids with gaps, as rows deleted or rolled back leave them.
    run(`INSERT INTO order_events (id, order_id, to_status, actor, created_at) VALUES (3, 'ORD-1', 'paid', 'ipn', 1)`);
    run(`INSERT INTO payment_events (id, provider, provider_payment_id, payment_id, status, dedupe_key, raw, received_at)
         VALUES (5, 'nowpayments', '7', 1, 'finished', 'k', '{}', 1)`);
    run(`INSERT INTO entitlements (id, user_id, product_id, order_id, created_at) VALUES (8, 1, 'TBF-1', 'ORD-1', 1)`);
    run(`INSERT INTO ledger_entries (id, account, seller_id, order_id, kind, amount_cents, currency, created_at)
         VALUES (13, 'seller:1', 1, 'ORD-1', 'sale', 95, 'USD', 1), (21, 'platform', NULL, 'ORD-1', 'fee', 5, 'USD', 1)`);
    run(`INSERT INTO jobs (id, kind, payload, unique_key, status, max_attempts, run_at, created_at, updated_at)
         VALUES (34, 'deliver', '{}', 'deliver:ORD-1', 'done', 5, 1, 1, 1)`);
    const tables = ['order_events', 'payment_events', 'entitlements', 'ledger_entries', 'jobs'];
    const rowsOf = () => tables.map((t) => store.sqlite.query(`SELECT * FROM ${t} ORDER BY id`).all());
    const before = rowsOf();

    expect(migrate(store.db)).toEqual(embeddedMigrations.slice(upgrade).map((m) => m.tag));
    expect(rowsOf()).toEqual(before);
    expect(store.sqlite.query('PRAGMA foreign_key_check').all()).toEqual([]);
    const sequences = () => store.sqlite.query('SELECT name FROM sqlite_sequence ORDER BY name').all();
    const kept = sequences();
    for (const t of tables) expect(kept).not.toContainEqual({ name: t });
    run(
      "INSERT INTO jobs (kind, payload, status, max_attempts, run_at, created_at, updated_at) VALUES ('x', '{}', 'ready', 1, 1, 1, 1)",
    );
    run("INSERT INTO order_events (order_id, to_status, actor, created_at) VALUES ('ORD-1', 'delivered', 'job', 2)");
    expect(store.sqlite.query('SELECT MAX(id) AS id FROM jobs').get()).toEqual({ id: 35 });
    expect(store.sqlite.query('SELECT MAX(id) AS id FROM order_events').get()).toEqual({ id: 4 });
    expect(sequences()).toEqual(kept);
    store.close();
  });

  test('a refused migration names itself and changes nothing; once the cause is gone it applies', () => {
    const store = openStore(freshPath());
    const upgrade = embeddedMigrations.findIndex((m) => m.tag === '0016_money_path_plain_rowids');
    migrate(store.db, embeddedMigrations.slice(0, upgrade));
    // A row whose order is gone: only a hand edit with foreign keys off leaves one.
    store.sqlite.run('PRAGMA foreign_keys = OFF');
    store.sqlite.run(
      "INSERT INTO order_events (order_id, to_status, actor, created_at) VALUES ('ORD-GONE', 'paid', 'hand', 1)",
    );
    store.sqlite.run('PRAGMA foreign_keys = ON');
    const schema = () => store.sqlite.query('SELECT name, sql FROM sqlite_schema ORDER BY name').all();
    const before = schema();

    let refused: unknown;
    try {
      migrate(store.db);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(MigrationError);
    expect((refused as MigrationError).tag).toBe('0016_money_path_plain_rowids');
    expect((refused as Error).message).toBe(
      'database migration 0016_money_path_plain_rowids failed, nothing was changed: FOREIGN KEY constraint failed' +
        ' (`PRAGMA foreign_key_check` in sqlite3 lists the rows whose foreign keys point nowhere)',
    );
    expect(schema()).toEqual(before);
    expect(isMigrated(store.db)).toBe(false);

    store.sqlite.run("DELETE FROM order_events WHERE order_id = 'ORD-GONE'");
    expect(migrate(store.db)).toEqual(embeddedMigrations.slice(upgrade).map((m) => m.tag));
    expect(isMigrated(store.db)).toBe(true);
    store.close();
  });

  test('running again, in the same or a new connection, applies nothing twice', () => {
    const path = freshPath();
    const first = openStore(path);
    migrate(first.db);
    expect(migrate(first.db)).toEqual([]);
    first.close();
    const second = openStore(path);
    expect(migrate(second.db)).toEqual([]);
    expect(second.sqlite.query('SELECT count(*) AS n FROM categories').get()).toEqual({ n: 7 });
    expect(second.sqlite.query('SELECT count(*) AS n FROM __drizzle_migrations').get()).toEqual({
      n: embeddedMigrations.length,
    });
    second.close();
  });

  test('the connection runs in WAL mode with foreign keys enforced and a busy timeout', () => {
    const store = openStore(freshPath());
    migrate(store.db);
    expect(store.sqlite.query('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    expect(store.sqlite.query('PRAGMA foreign_keys').get()).toEqual({ foreign_keys: 1 });
    expect(store.sqlite.query('PRAGMA busy_timeout').get()).toEqual({ timeout: 5000 });
    expect(store.sqlite.query('PRAGMA synchronous').get()).toEqual({ synchronous: 1 });
    expect(() =>
      store.sqlite.run(
        "INSERT INTO products (id, seller_id, category_id, title, description, price_cents, currency, created_at, updated_at) VALUES ('TBF-2611-AAAAAA', 999, 1, 't', 'd', 100, 'USD', 0, 0)",
      ),
    ).toThrow(/FOREIGN KEY/);
    store.close();
  });

  test('the embedded migration list matches drizzle-kit journal (run `bun run db:generate`)', async () => {
    expect(await Bun.file(generatedPath).text()).toBe(await renderMigrationsModule());
  });
});

/** What a migrated database holds besides user data: the schema, the migrations applied, the seeded categories. */
function contents(store: Store) {
  const all = (sql: string) => store.sqlite.query(sql).all();
  return {
    schema: all("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name"),
    migrations: all('SELECT hash, created_at FROM __drizzle_migrations ORDER BY created_at'),
    categories: all('SELECT * FROM categories ORDER BY id'),
  };
}

describe('the first start', () => {
  test('the embedded image is what the migrations make (run `bun run db:generate`)', () => {
    const migrated = openStore(':memory:');
    migrate(migrated.db);
    const image = openStore(':memory:', { image: initialImage() });
    expect(migrate(image.db)).toEqual([]);
    expect(contents(image)).toEqual(contents(migrated));
    expect(image.sqlite.query('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
    image.close();
    migrated.close();
  });

  test('the image module is what `bun run db:generate` writes today', async () => {
    expect(await Bun.file(imagePath).text()).toBe(await renderImageModule());
  });

  test('a new file is written from the image: migrated, in WAL mode, usable; an existing file is left alone', () => {
    const path = freshPath();
    expect(createFromImage(path)).toEqual(embeddedMigrations.map((m) => m.tag));
    const store = openStore(path);
    expect(migrate(store.db)).toEqual([]);
    expect(store.sqlite.query('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    store.sqlite.run("INSERT INTO sellers (display_name, created_at, updated_at) VALUES ('Ada', 1, 1)");
    store.close();
    // The next start finds the file: nothing is written over it.
    expect(createFromImage(path)).toEqual([]);
    const again = new Database(path, { readonly: true });
    expect(again.query('SELECT display_name FROM sellers').all()).toEqual([{ display_name: 'Ada' }]);
    expect(again.query('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
    again.close();
  });

  test('a write-ahead log left without its database is not replayed into a new one: migrations run instead', () => {
    const path = freshPath();
    writeFileSync(`${path}-wal`, '');
    expect(createFromImage(path)).toEqual([]);
  });
});

describe('backup', () => {
  test('VACUUM INTO writes a consistent copy of a live database', () => {
    const store = openStore(freshPath());
    migrate(store.db);
    store.sqlite.run("INSERT INTO sellers (display_name, created_at, updated_at) VALUES ('Ada', 1, 1)");
    const target = freshPath();
    backupStore(store.sqlite, target);
    store.sqlite.run("INSERT INTO sellers (display_name, created_at, updated_at) VALUES ('after', 2, 2)");
    store.close();
    const copy = new Database(target, { readonly: true });
    expect(copy.query('SELECT count(*) AS n FROM categories').get()).toEqual({ n: 7 });
    expect(copy.query('SELECT display_name FROM sellers').all()).toEqual([{ display_name: 'Ada' }]);
    expect(copy.query('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
    copy.close();
  });
});
