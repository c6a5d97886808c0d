import { AppError } from '../../lib/errors.ts';
import type { ListProductsInput } from './model.ts';
import type { ReaderReply, ReaderRequest } from './reader-protocol.ts';

/**
 * Where the worker's module is. From source, next to this file. In the compiled binary every
 * entry point is embedded relative to src/, and `import.meta.url` is the executable's own path
 * at the root of that tree (as for the upload worker).
 */
const workerUrl = Bun.isStandaloneExecutable
  ? new URL('modules/catalog/reader-worker.ts', import.meta.url).href
  : new URL('./reader-worker.ts', import.meta.url).href;

/** Product pages, serialized, read by reader-worker.ts on its own connection to `databasePath`. */
export interface CatalogReader {
  /** The page as JSON; rejects with the AppError the listing threw (validation, unknown category). */
  products(input: ListProductsInput): Promise<string>;
  /** Stops the worker; pending reads fail. */
  close(): void;
}

/** One worker thread, started on first use: it takes one core, the event loop keeps the other. */
export function createCatalogReader(databasePath: string): CatalogReader {
  let worker: Worker | undefined;
  let nextId = 1;
  let closed = false;
  const waiters = new Map<number, PromiseWithResolvers<string>>();

  function failAll(error: Error) {
    for (const waiter of waiters.values()) waiter.reject(error);
    waiters.clear();
  }

  function thread(): Worker {
    if (worker) return worker;
    if (closed) throw new Error('the catalog reader is closed');
    const started = new Worker(workerUrl, { name: 'catalog-reader', ref: false, smol: true });
    started.onmessage = ({ data }: MessageEvent<ReaderReply>) => {
      const waiter = waiters.get(data.id);
      waiters.delete(data.id);
      if (!waiter) return;
      if ('json' in data) waiter.resolve(data.json);
      else if ('error' in data) waiter.reject(new AppError(data.error.code, data.error.message, data.error.details));
      else waiter.reject(new Error(`catalog reader: ${data.failure}`));
    };
    // A crashed worker fails its reads; the next read starts a new one.
    started.onerror = (event) => {
      failAll(new Error(`the catalog reader failed: ${event.message}`));
      started.terminate();
      if (worker === started) worker = undefined;
    };
    started.postMessage({ op: 'open', path: databasePath } satisfies ReaderRequest);
    return (worker = started);
  }

  return {
    async products(input) {
      const target = thread();
      const id = nextId++;
      const waiter = Promise.withResolvers<string>();
      waiters.set(id, waiter);
      target.postMessage({ op: 'products', id, input } satisfies ReaderRequest);
      return waiter.promise;
    },
    close() {
      closed = true;
      failAll(new Error('the catalog reader is closed'));
      worker?.terminate();
      worker = undefined;
    },
  };
}
