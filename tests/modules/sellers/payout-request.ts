/**
 * One payout request from its own process, on the database file given: prints `ready`, waits
 * for a line on stdin (so all requests start together), then prints the outcome as JSON.
 * Used by payout-race.test.ts.
 */
import { AppError } from '../../../src/lib/errors.ts';
import { sellersFixture } from './fixture.ts';

const [path, sellerId] = process.argv.slice(2);
const f = sellersFixture(path!);
console.log('ready');
for await (const _line of console) break;
try {
  const payout = f.sellers.payouts.request(Number(sellerId));
  console.log(JSON.stringify({ ok: true, amount: payout.amount_cents }));
} catch (error) {
  console.log(JSON.stringify({ ok: false, code: error instanceof AppError ? error.code : String(error) }));
}
f.store.close();
