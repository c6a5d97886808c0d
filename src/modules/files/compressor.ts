import type { CompressReply, CompressRequest } from './compress-protocol.ts';

/**
 * Where the worker's module is. From source, next to this file. In the compiled binary every
 * entry point is embedded relative to src/ (the entry points' common folder), and
 * `import.meta.url` is the executable's own path at the root of that tree.
 */
const workerUrl = Bun.isStandaloneExecutable
  ? new URL('modules/files/compress-worker.ts', import.meta.url).href
  : new URL('./compress-worker.ts', import.meta.url).href;

/** One gzip stream in the worker: push chunks in order, get their compressed bytes back. */
export interface GzipSession {
  /** Compresses a chunk (its buffer may be handed to the worker: do not use it after); `final` ends the gzip member. */
  push(chunk: Uint8Array, final?: boolean): Promise<Uint8Array>;
  /** Forgets the stream; pending pushes still settle. */
  abort(): void;
}

/**
 * The chunk's buffer is handed over (detached here) when the chunk spans all of it; a view
 * into a larger buffer is copied. Copying every chunk doubled the garbage of an upload and
 * the main thread's memory swung by tens of MB between collections.
 */
const ownBuffer = (chunk: Uint8Array): Uint8Array<ArrayBuffer> =>
  chunk.buffer instanceof ArrayBuffer && chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength
    ? (chunk as Uint8Array<ArrayBuffer>)
    : new Uint8Array(chunk); // a copy (a Buffer's slice() would be a view)

type Waiter = { resolve(reply: CompressReply): void; reject(error: Error): void };

/**
 * fflate gzip on a Bun Worker, shared by all uploads (started on first use, one thread: the
 * event loop keeps the other core). Replies come back in the order of the requests of each
 * stream, so each stream keeps a queue of waiters.
 */
export function createCompressor({ level }: { level: number }) {
  let worker: Worker | undefined;
  let nextId = 1;
  let closed = false;
  const waiters = new Map<number, Waiter[]>();

  function failAll(error: Error) {
    for (const queue of waiters.values()) for (const waiter of queue.splice(0)) waiter.reject(error);
    waiters.clear();
  }

  function thread(): Worker {
    if (worker) return worker;
    if (closed) throw new Error('the compressor is closed');
    const started = new Worker(workerUrl, { name: 'gzip', ref: false, smol: true });
    started.onmessage = ({ data }: MessageEvent<CompressReply>) => {
      const queue = waiters.get(data.id);
      const waiter = queue?.shift();
      if (queue?.length === 0) waiters.delete(data.id);
      if (!waiter) return;
      if ('error' in data) waiter.reject(new Error(`compression failed: ${data.error}`));
      else waiter.resolve(data);
    };
    started.onerror = (event) => {
      failAll(new Error(`compression worker failed: ${event.message}`));
      started.terminate();
      if (worker === started) worker = undefined;
    };
    return (worker = started);
  }

  function send(request: CompressRequest, transfer: Bun.Transferable[] = []) {
    thread().postMessage(request, transfer);
  }

  function ask(request: CompressRequest, transfer: Bun.Transferable[] = []): Promise<CompressReply> {
    const { promise, resolve, reject } = Promise.withResolvers<CompressReply>();
    const queue = waiters.get(request.id) ?? [];
    queue.push({ resolve, reject });
    waiters.set(request.id, queue);
    send(request, transfer);
    return promise;
  }

  return {
    level,
    /** Size of `sample` gzipped at the configured level (the sample is copied). */
    async probe(sample: Uint8Array): Promise<number> {
      const copy = new Uint8Array(sample);
      const reply = await ask({ op: 'probe', id: nextId++, sample: copy, level }, [copy.buffer]);
      return 'size' in reply ? reply.size : 0;
    },
    open(): GzipSession {
      const id = nextId++;
      send({ op: 'open', id, level });
      return {
        async push(chunk, final = false) {
          const owned = ownBuffer(chunk);
          const reply = await ask({ op: 'push', id, chunk: owned, final }, [owned.buffer]);
          return 'data' in reply ? reply.data : new Uint8Array(0);
        },
        abort() {
          send({ op: 'abort', id });
        },
      };
    },
    /** Stops the worker; pending compressions fail. */
    close() {
      closed = true;
      failAll(new Error('the compressor is closed'));
      worker?.terminate();
      worker = undefined;
    },
  };
}

export type Compressor = ReturnType<typeof createCompressor>;
