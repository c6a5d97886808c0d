import type { FileSink } from 'bun';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../lib/errors.ts';
import type { GzipJob, UploadWorker } from './upload-worker-client.ts';

/** Bytes inspected before deciding: enough for every signature `file-type` knows, and a fair gzip sample. */
export const PREFIX_BYTES = 64 * 1024;
/** gzip is kept only when it saves more than this share of the first bytes. */
const MIN_SAVING = 0.1;
/** Bytes written between two flushes; after each, the upload worker hears of them and the event loop gets a turn. */
const FLUSH_BYTES = 1024 * 1024;

export class UploadInterrupted extends AppError {
  constructor() {
    super('bad_request', 'the upload was interrupted before the end of the file; nothing was kept');
  }
}

export const tooLarge = (maxBytes: number) =>
  new AppError('payload_too_large', `files are limited to ${Math.floor(maxBytes / 1024 / 1024)} MB`, {
    max_bytes: maxBytes,
  });

export interface ReceiveOptions {
  /** The body's chunks as they come (the HTTP face holds them to the body pace rule). */
  body: AsyncIterable<Uint8Array>;
  maxBytes: number;
  /** The request's Content-Length, when it gave one: fewer bytes means the client went away. */
  declaredLength?: number;
  tempDir: string;
  worker: UploadWorker;
  /** Checks the first bytes (throws to refuse) and says whether the format is already compressed. */
  inspect(prefix: Uint8Array): Promise<{ mime: string; packed: boolean }>;
  /** Called with the size of each chunk read. */
  onBytes(bytes: number): void;
}

export interface Received {
  tempPath: string;
  sha256: string;
  size: number;
  storedSize: number;
  compression: 'none' | 'gzip';
  mime: string;
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const all = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of parts) {
    all.set(part, at);
    at += part.length;
  }
  return all;
}

/**
 * Reads an upload body into a temp file, as fast as the client sends it: counted (cut off past
 * `maxBytes`), hashed (SHA-256 of the original bytes) and gzipped when that pays. Memory stays
 * bounded whatever the size. On any failure the temp files are removed and the error rethrown.
 *
 * The event loop never waits on gzip: a handler that read the body only as fast as gzip
 * (~16 MB/s) let Bun pile the unread body up and copy it around on the main thread (8 times
 * the CPU of reading at full speed, measured), and every other request waited behind those
 * copies. So a body that gets compressed is spooled raw to disk, and the upload worker follows
 * the spool, hashing and gzipping it into the temp file: that costs disk (up to the file's
 * size, until the upload ends), never memory. A body stored as it is gets hashed here, on its
 * way to the temp file (1.5 GB/s: cheaper than a round trip to the worker).
 */
export async function receive(options: ReceiveOptions): Promise<Received> {
  const { body, maxBytes, declaredLength, worker } = options;
  await mkdir(options.tempDir, { recursive: true });
  const base = join(options.tempDir, crypto.randomUUID());
  const tempPath = `${base}.part`;
  const spoolPath = `${base}.spool`;
  /** Where the body goes: the temp file itself, or the spool when compressing. */
  let file: FileSink | undefined;
  let job: GzipJob | undefined;
  let hasher: Bun.CryptoHasher | undefined;
  let failure: unknown;
  let size = 0;
  let flushed = 0;
  let mime: string | undefined;
  let compression: Received['compression'] = 'none';
  let head: Uint8Array[] = [];

  async function write(chunk: Uint8Array) {
    // Bun's FileSink: node:fs/promises writes held on to far more memory under a fast upload.
    hasher?.update(chunk);
    file!.write(chunk);
    if (size - flushed < FLUSH_BYTES) return;
    await file!.flush();
    flushed = size;
    job?.grow(size);
    if (failure) throw failure;
    // Read back to back, a fast body held every other request for up to 100 ms at a time
    // (/health p99 during a 200 MB upload: 18-21 ms without this turn, 8-13 ms with it).
    await new Promise((resolve) => setImmediate(resolve));
  }

  /** Inspects the first bytes, decides on compression, opens the files and the worker's job. */
  async function start(prefix: Uint8Array) {
    if (prefix.length === 0) throw new AppError('bad_request', 'the file is empty');
    const inspected = await options.inspect(prefix);
    mime = inspected.mime;
    if (!inspected.packed && worker.level > 0) {
      // The same sample whatever the chunking: the same content gets the same decision.
      const sample = prefix.subarray(0, PREFIX_BYTES);
      if ((await worker.probe(sample)) < sample.length * (1 - MIN_SAVING)) compression = 'gzip';
    }
    if (compression === 'gzip') {
      await Promise.all([Bun.write(tempPath, ''), Bun.write(spoolPath, '')]); // the worker creates no file
      job = worker.gzip(spoolPath, tempPath);
      job.done.catch((error) => (failure ??= error));
    } else {
      hasher = new Bun.CryptoHasher('sha256');
    }
    file = Bun.file(job ? spoolPath : tempPath).writer({ highWaterMark: FLUSH_BYTES });
    await write(prefix);
  }

  try {
    for await (const chunk of body) {
      size += chunk.length;
      options.onBytes(chunk.length);
      if (size > maxBytes) throw tooLarge(maxBytes);
      if (mime) {
        await write(chunk);
        continue;
      }
      head.push(chunk);
      if (size < PREFIX_BYTES) continue;
      await start(concat(head));
      head = [];
    }
    if (!mime) await start(concat(head));
    if (declaredLength !== undefined && size < declaredLength) throw new UploadInterrupted();
    await file!.end();
    file = undefined;
    if (!job) return { tempPath, sha256: hasher!.digest('hex'), size, storedSize: size, compression, mime: mime! };
    job.grow(size, true);
    const { sha256, storedSize } = await job.done;
    job = undefined;
    await rm(spoolPath, { force: true });
    return { tempPath, sha256, size, storedSize, compression, mime: mime! };
  } catch (error) {
    job?.abort();
    await Promise.resolve(file?.end()).catch(() => {});
    await Promise.all([rm(tempPath, { force: true }), rm(spoolPath, { force: true })]);
    throw error instanceof AppError || !isDisconnect(error) ? error : new UploadInterrupted();
  }
}

/** What reading a request body throws when the client goes away mid-upload. */
const isDisconnect = (error: unknown) =>
  error instanceof Error && (error.name === 'AbortError' || (error as { code?: string }).code === 'ECONNRESET');
