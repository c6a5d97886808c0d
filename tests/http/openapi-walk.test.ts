import { afterAll, expect, test } from 'bun:test';
import fc from 'fast-check';
import { startWalkFixture } from '../support/openapi/fixtures.ts';
import { operationsOf, requestsFor, type Operation } from '../support/openapi/requests.ts';
import { problemWith, send } from '../support/openapi/walk.ts';

/**
 * Walks every operation of the served OpenAPI document with requests generated from its
 * schemas: valid ones (mixed with ids, keys and files that exist), and ones that break one
 * rule (a bad parameter or field, a missing one, bad JSON, a form instead of JSON, a body past
 * the limit, no key or an unknown one). Every answer must be documented for its operation,
 * never a 5xx, of a documented content type and valid against the documented schema; a broken
 * request must be refused with the status its rule implies. The seed is fixed
 * (OPENAPI_WALK_SEED overrides it); a failure names the seed and the request as sent.
 */
const SEED = Number(process.env.OPENAPI_WALK_SEED ?? 20261124);
const RUNS = Number(process.env.OPENAPI_WALK_RUNS ?? 40);
/** Twice the JSON body limit (1 MiB): past it whatever the limit's exact edge. */
const TOO_LARGE = 2 * 1024 * 1024;

const fixture = await startWalkFixture(TOO_LARGE);
const { shop, doc, planner, hints } = fixture;
afterAll(async () => {
  const tally = (statuses: number[]) =>
    Object.entries(Object.groupBy(statuses, String))
      .map(([status, list]) => `${status}×${list!.length}`)
      .join(' ');
  console.log([...answered].map(([id, statuses]) => `  ${id}: ${tally(statuses)}`).join('\n'));
  await shop.stop();
});
console.log(`openapi walk: seed ${SEED}, ${RUNS} requests per operation (OPENAPI_WALK_SEED, OPENAPI_WALK_RUNS)`);

/** Statuses answered, by operation: printed at the end, and proof that each one succeeded at least once. */
const answered = new Map<string, number[]>();

async function walk(op: Operation) {
  const statuses: number[] = [];
  answered.set(op.spec.operationId, statuses);
  await fc.assert(
    fc.asyncProperty(requestsFor(op, hints[op.spec.operationId] ?? {}, planner), async (plan) => {
      const { sent, response, bytes } = await send(doc, op, plan, shop.url, planner.tooLargeBytes);
      statuses.push(response.status);
      const problem = problemWith(op, plan, response, bytes, planner.check);
      if (!problem) return;
      const answer = new TextDecoder().decode(bytes.subarray(0, 600));
      throw new Error(
        `${op.spec.operationId} (${plan.kind}${plan.broken ? `: ${plan.broken}` : ''}): ${problem}\n` +
          `  ${sent.method} ${sent.url}\n  headers ${JSON.stringify(sent.headers)}\n  body ${sent.body}\n` +
          `  -> ${response.status} ${response.headers.get('content-type')} ${answer}\n  (seed ${SEED})`,
      );
    }),
    // No shrinking: the server keeps state between requests, so a shrunk request is another story.
    { seed: SEED, numRuns: RUNS, endOnFailure: true },
  );
  // A walk that never got past the checks would prove little (a redirect is a success too).
  expect({ operation: op.spec.operationId, succeeded: statuses.some((s) => s < 400) }).toEqual({
    operation: op.spec.operationId,
    succeeded: true,
  });
}

test('the walk covers the whole API, public, seller and admin', () => {
  const ids = operationsOf(doc).map((op) => op.spec.operationId);
  expect(ids).toEqual(
    expect.arrayContaining(['createPayment', 'uploadFile', 'downloadFile', 'createApiKey', 'updateProduct']),
  );
  expect(ids.filter((id) => !(id in hints))).toEqual([
    'getMetrics',
    'getHealth',
    'getReadiness',
    'listCategories',
    'listCurrencies',
    'listUndeliveredOrders',
    'listPartialOrders',
    'listFlaggedPaymentEvents',
    'listAdminActions',
    'listRefunds',
    'getStats',
    'listTickets',
    'listBroadcasts',
    'draftBroadcast',
    'listPendingPayouts',
    'listJobs',
    'getSellerProfile',
    'getSellerBalance',
    'listSellerPayouts',
  ]);
});

// One test per operation, in the document's order: a failure names its operation.
for (const op of operationsOf(doc)) {
  test(`${op.method.toUpperCase()} ${op.path} (${op.spec.operationId})`, () => walk(op), 15_000);
}
