import type { UploadWorkerReply, UploadWorkerRequest } from './upload-worker-protocol.ts';

/**
 * Where the worker's module is. From source, next to this file. In the compiled binary every
 * entry point is embedded relative to src/ (the entry points' common folder), and
 * `import.meta.url` is the executable's own path at the root of that tree.
 */
const workerUrl = Bun.isStandaloneExecutable
  ? new URL('modules/files/upload-worker.ts', import.meta.url).href
  : new URL('./upload-worker.ts', import.meta.url).href;

/** What the worker made of a whole spool. */
export interface Gzipped {
  /** SHA-256 of the original bytes. */
  sha256: string;
  /** Size of the gzipped file. */
  storedSize: number;
}

/** A spool the worker follows as the caller writes it. */
export interface GzipJob {
  /** The spool now holds `length` bytes (flushed); `final`: that is all of it. */
  grow(length: number, final?: boolean): void;
  /** Settles once the final byte is handled, or with the first failure (even before `final`). */
  done: Promise<Gzipped>;
  /** Stops and closes the files; `done` never settles after this. */
  abort(): void;
}

type Waiter = PromiseWithResolvers<UploadWorkerReply>;

/**
 * The upload worker (upload-worker.ts), shared by all uploads: started on first use, one
 * thread, so the event loop keeps the other core.
 */
export function createUploadWorker({ level }: { level: number }) {
  let worker: Worker | undefined;
  let nextId = 1;
  let closed = false;
  const waiters = new Map<number, Waiter>();

  function failAll(error: Error) {
    for (const waiter of waiters.values()) waiter.reject(error);
    waiters.clear();
  }

  function thread(): Worker {
    if (worker) return worker;
    if (closed) throw new Error('the upload worker is closed');
    const started = new Worker(workerUrl, { name: 'uploads', ref: false, smol: true });
    started.onmessage = ({ data }: MessageEvent<UploadWorkerReply>) => {
      const waiter = waiters.get(data.id);
      waiters.delete(data.id);
      if (!waiter) return;
      if ('error' in data) waiter.reject(new Error(`upload worker: ${data.error}`));
      else waiter.resolve(data);
    };
    started.onerror = (event) => {
      failAll(new Error(`the upload worker failed: ${event.message}`));
      started.terminate();
      if (worker === started) worker = undefined;
    };
    return (worker = started);
  }

  /** Sends `request` and returns its reply (registered first: the worker may answer at once). */
  function ask(request: UploadWorkerRequest, transfer: Bun.Transferable[] = []): Promise<UploadWorkerReply> {
    const waiter = Promise.withResolvers<UploadWorkerReply>();
    waiters.set(request.id, waiter);
    thread().postMessage(request, transfer);
    return waiter.promise;
  }

  return {
    level,
    /** Size of `sample` gzipped at the configured level (the sample is copied). */
    async probe(sample: Uint8Array): Promise<number> {
      const copy = new Uint8Array(sample);
      const reply = await ask({ op: 'probe', id: nextId++, sample: copy, level }, [copy.buffer]);
      return 'gzippedSize' in reply ? reply.gzippedSize : 0;
    },
    /** Follows `spool` as it grows, gzipping it into `out` (both files must exist). */
    gzip(spool: string, out: string): GzipJob {
      const id = nextId++;
      const done = ask({ op: 'open', id, spool, out, level }).then((reply) => reply as Gzipped);
      return {
        done,
        grow(length, final = false) {
          thread().postMessage({ op: 'grow', id, length, final } satisfies UploadWorkerRequest);
        },
        abort() {
          waiters.delete(id);
          thread().postMessage({ op: 'abort', id } satisfies UploadWorkerRequest);
        },
      };
    },
    /** Stops the worker; pending jobs fail. */
    close() {
      closed = true;
      failAll(new Error('the upload worker is closed'));
      worker?.terminate();
      worker = undefined;
    },
  };
}

export type UploadWorker = ReturnType<typeof createUploadWorker>;
