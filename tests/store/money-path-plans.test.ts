/**
 * The money path writes as few index entries as it can: indexes nobody reads are gone,
 * others leave out the rows no query looks for (the platform's ledger entries, unflagged payment
 * events). Every read on those tables that an index serves still reaches its rows through it,
 * on empty statistics and after ANALYZE (the store runs PRAGMA optimize when it closes).
 */
import { Database } from 'bun:sqlite';
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createApp, type App } from '../../src/app.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { signIpn } from '../../src/modules/payments/nowpayments/signature.ts';
import { fakeClock } from '../support/app.ts';
import { NP_SECRET, tempDir, testConfig } from '../support/env.ts';

const dir = tempDir('techbot-plans-');
let app: App;
/** Every SQL text prepared while `fn` runs (drizzle prepares through `prepare`, the queue through `query`). */
function statementsOf(fn: () => unknown): string[] {
  const seen: string[] = [];
  type Prepare = (this: Database, sql: string, ...rest: unknown[]) => unknown;
  const proto = Database.prototype as unknown as Record<'prepare' | 'query', Prepare>;
  const originals = { prepare: proto.prepare, query: proto.query };
  for (const name of ['prepare', 'query'] as const) {
    proto[name] = function (this: Database, sql: string, ...rest: unknown[]) {
      seen.push(sql);
      return originals[name].call(this, sql, ...rest);
    };
  }
  try {
    fn();
  } finally {
    Object.assign(proto, originals);
  }
  return seen;
}

/** The plan lines of each statement that reads `table` (or, with `verb`, updates it). */
function plans(statements: string[], table: string, verb = 'select'): string[][] {
  const sqlite = app.store.sqlite;
  return statements
    .filter((sql) => sql.includes(`"${table}"`) && new RegExp(`^\\s*${verb}`, 'i').test(sql))
    .map((sql) => {
      const explain = sqlite.prepare<{ detail: string }, (null | string)[]>(`EXPLAIN QUERY PLAN ${sql}`);
      const lines = explain.all(...Array<null>(explain.paramsCount).fill(null)).map((row) => row.detail);
      // An EXPLAIN of a write counts as a write in progress until finalized: COMMITs would fail.
      explain.finalize();
      return lines;
    });
}

const usesIndex = (plan: string[], table: string, index: string) =>
  plan.some((line) => line.startsWith(`SEARCH ${table} USING INDEX ${index}`));

let productId: string;
let openCountSql: string[] | undefined;
let repeatSql: string[] | undefined;
beforeAll(() => {
  app = createApp({
    config: testConfig(dir.path, { NOWPAYMENTS_IPN_SECRET: NP_SECRET }),
    logger: createLogger({ level: 'fatal' }),
    clock: fakeClock(),
    databasePath: ':memory:',
  });
  // Many rows no index should hold (platform fees, events applied as they should), a few it does.
  const sqlite = app.store.sqlite;
  sqlite.transaction(() => {
    const seller = sqlite.query(
      "INSERT INTO sellers (display_name, created_at, updated_at) VALUES ('s', 1, 1) RETURNING id",
    );
    const { id } = seller.get() as { id: number };
    productId = app.catalog.createProduct(
      { role: 'seller', keyId: 'plans', sellerId: id },
      { title: 'A course', description: 'For the plans.', price_cents: 1_000, category: '1' },
    ).id;
    const entry = sqlite.prepare(
      'INSERT INTO ledger_entries (account, seller_id, kind, amount_cents, currency, created_at) VALUES (?, ?, ?, ?, ?, 1)',
    );
    const event = sqlite.prepare(
      "INSERT INTO payment_events (provider, provider_payment_id, status, dedupe_key, raw, flag, received_at) VALUES ('nowpayments', ?, 'finished', ?, '{}', ?, 1)",
    );
    const order = sqlite.prepare(
      `INSERT INTO orders (id, buyer_id, product_id, seller_id, status, payment_method, price_cents, currency,
         fee_cents, seller_amount_cents, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'crypto', 1000, 'USD', 50, 950, 1, 1)`,
    );
    for (let i = 0; i < 500; i++) {
      const buyer = app.users.upsertEmail(`someone-${i}@plans.test`);
      order.run(`ORD-A-${i}`, buyer.id, productId, id, 'paid');
      order.run(`ORD-B-${i}`, buyer.id, productId, id, 'expired');
    }
    for (let i = 0; i < 3_000; i++) {
      entry.run('platform', null, 'fee', 50, 'USD');
      if (i % 100 === 0) entry.run(`seller:${id}`, id, 'sale', 950, 'USD');
      event.run(String(i), `k${i}`, i % 500 === 0 ? 'amount_mismatch' : null);
    }
  })();
});
afterAll(async () => {
  await app.stop();
  dir.cleanup();
});

describe.each([false, true])('query plans (ANALYZE run: %p)', (analysed) => {
  beforeAll(() => {
    if (analysed) app.store.sqlite.run('ANALYZE');
  });

  test("a seller's ledger and balance read ledger_seller_idx", () => {
    const read = statementsOf(() => {
      app.orders.sellerLedger(1, 'USD');
      app.orders.sellerBalance(1);
    });
    const found = plans(read, 'ledger_entries');
    expect(found.length).toBe(2);
    for (const plan of found) expect(usesIndex(plan, 'ledger_entries', 'ledger_seller_idx')).toBe(true);
  });

  test("a buyer's unfinished order of a product is found through orders_buyer_product_idx", () => {
    const buyer = app.users.upsertEmail(`buyer-${analysed}@plans.test`);
    const read = statementsOf(() => app.orders.create({ buyerId: buyer.id, productId, method: 'crypto' }));
    const found = plans(read, 'orders').filter((plan) => plan.some((line) => line.includes('buyer_id')));
    expect(found.length).toBe(1);
    expect(usesIndex(found[0]!, 'orders', 'orders_buyer_product_idx')).toBe(true);
  });

  test("a refund finds the order's entitlement through entitlements_user_product_uq", () => {
    const buyer = app.users.upsertEmail(`refunded-${analysed}@plans.test`);
    const { order } = app.orders.create({ buyerId: buyer.id, productId, method: 'crypto' });
    app.orders.transition(order.id, { to: 'paid', actor: 'test' });
    const written = statementsOf(() => app.orders.transition(order.id, { to: 'refunded', actor: 'test' }));
    const found = plans(written, 'entitlements', 'update');
    expect(found.length).toBe(1);
    expect(usesIndex(found[0]!, 'entitlements', 'entitlements_user_product_uq')).toBe(true);
    expect(app.orders.owns(buyer.id, productId)).toBe(false);
  });

  test('an IPN looks for the identical notification stored before through payment_events_dedupe_uq', () => {
    const body = {
      payment_id: 9_000_000 + Number(analysed),
      payment_status: 'finished',
      pay_currency: 'btc',
      pay_amount: 0.001,
      actually_paid: 0.001,
      price_amount: 10,
      price_currency: 'usd',
      order_id: 'none',
    };
    const raw = JSON.stringify(body);
    // Prepared on its first use, as the flagged count below.
    repeatSql ??= statementsOf(() => app.payments.handleIpn(raw, signIpn(body, NP_SECRET)));
    const found = plans(repeatSql, 'payment_events').filter((plan) => plan.some((line) => line.includes('dedupe_key')));
    expect(found.length).toBeGreaterThanOrEqual(1);
    for (const plan of found) expect(usesIndex(plan, 'payment_events', 'payment_events_dedupe_uq')).toBe(true);
  });

  test('the count of open flagged events reads payment_events_flag_idx; so does their list once analysed', () => {
    const flagged = (plan: string[]) => usesIndex(plan, 'payment_events', 'payment_events_flag_idx');
    // Prepared on its first use: the first run of this test sees it prepared, the next reuses its text.
    openCountSql ??= statementsOf(() => app.payments.openFlagCount()).filter((sql) => sql.includes('count(*)'));
    const count = openCountSql;
    expect(plans(count, 'payment_events').map(flagged)).toEqual([true]);
    // Newest first, 50 at most: without statistics SQLite walks the table backwards instead (as
    // it did, statistics or not, when every event had an entry in this index).
    const list = plans(
      statementsOf(() => app.payments.flaggedEvents(50, 'all')),
      'payment_events',
    );
    expect(list.length).toBe(1);
    if (analysed) expect(list.map(flagged)).toEqual([true]);
  });
});
