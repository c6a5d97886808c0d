import type { Db } from '../../store/database.ts';
import type { IpnResult } from './notifications.ts';

type Handle = (raw: string, signature: string | null) => IpnResult;

interface Pending {
  raw: string;
  signature: string | null;
  done: PromiseWithResolvers<IpnResult>;
}

/**
 * IPNs that arrive together are applied together: each in its own savepoint (one that throws
 * is undone alone and answered with its error), all in one transaction, answered once it has
 * committed. A commit writes every page the IPNs changed to the WAL; IPNs of the same moment
 * share most of those pages (the ends of the same indexes), so a burst writes a fraction of
 * what one commit each would. Nothing waits for company: the batch is what arrived before the
 * event loop next turns (setImmediate), a lone IPN is a batch of one.
 */
export function batchedIpns(db: Db, handle: Handle) {
  let pending: Pending[] = [];
  const one = db.$client.transaction((raw: string, signature: string | null) => handle(raw, signature));
  const all = db.$client.transaction((batch: Pending[]) =>
    batch.map(({ raw, signature }) => {
      try {
        return { result: one(raw, signature) };
      } catch (error) {
        return { error };
      }
    }),
  );

  function flush() {
    const batch = pending;
    pending = [];
    let outcomes: ({ result: IpnResult } | { error: unknown })[];
    try {
      outcomes = all.immediate(batch);
    } catch (error) {
      for (const { done } of batch) done.reject(error);
      return;
    }
    batch.forEach(({ done }, i) => {
      const outcome = outcomes[i]!;
      if ('result' in outcome) done.resolve(outcome.result);
      else done.reject(outcome.error);
    });
  }

  return function handleIpn(raw: string, signature: string | null): Promise<IpnResult> {
    const done = Promise.withResolvers<IpnResult>();
    if (pending.push({ raw, signature, done }) === 1) setImmediate(flush);
    return done.promise;
  };
}
