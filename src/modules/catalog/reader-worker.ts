/**
 * Product searches and filtered listings (service.ts keeps plain listings), off the event loop: on the main thread, 50 searches at once
 * held every other request back for their whole duration (/health p99 660 ms with searches of
 * 3-5 ms each; 20-32 ms from here, bench/catalog-search.bench.ts); here they only wait for each
 * other. It reads through its own read-only connection (WAL: each read sees the last commit of the
 * main connection and never blocks it). `bun build --compile` must list this file as an entry
 * point (see package.json "build").
 */
import { systemClock } from '../../lib/clock.ts';
import { AppError } from '../../lib/errors.ts';
import { lowerThreadPriority } from '../../lib/thread-priority.ts';
import { openReader } from '../../store/database.ts';
import { createFileLookups } from '../files/service.ts';
import { createUsers } from '../users/service.ts';
import { createProductListing } from './listing.ts';
import type { ReaderReply, ReaderRequest } from './reader-protocol.ts';

declare const self: Worker;
// The event loop must win the CPU: at normal priority this thread pushed /health's p99 under
// 50 concurrent searches to 45-57 ms; at a lower one, 20-32 ms (searches 10% slower).
lowerThreadPriority();

let listing: ReturnType<typeof createProductListing> | undefined;
const reply = (message: ReaderReply) => self.postMessage(message);

self.onmessage = ({ data }: MessageEvent<ReaderRequest>) => {
  if (data.op === 'open') {
    // Cards need seller names and file summaries: the users and files modules' own reads, run on
    // this thread's read-only connection.
    const db = openReader(data.path);
    const users = createUsers({ db, clock: systemClock });
    listing = createProductListing(db, {
      sellerNames: users.sellerNames,
      fileSummaries: createFileLookups(db).summaries,
    });
    return;
  }
  try {
    if (!listing) throw new Error('the catalog reader was not opened');
    reply({ id: data.id, json: JSON.stringify(listing.listProducts(data.input)) });
  } catch (error) {
    if (error instanceof AppError)
      reply({ id: data.id, error: { code: error.code, message: error.message, details: error.details } });
    else reply({ id: data.id, failure: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
};
