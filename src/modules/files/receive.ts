import type { FileSink } from 'bun';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../lib/errors.ts';
import type { Compressor, GzipSession } from './compressor.ts';

/** Bytes inspected before deciding: enough for every signature `file-type` knows, and a fair gzip sample. */
export const PREFIX_BYTES = 64 * 1024;
/** gzip is kept only when it saves more than this share of the first bytes. */
const MIN_SAVING = 0.1;
/** Chunks handed to the compression worker and not yet written: bounds memory, keeps both threads busy. */
const IN_FLIGHT = 4;

export class UploadInterrupted extends AppError {
  constructor() {
    super('bad_request', 'the upload was interrupted before the end of the file; nothing was kept');
  }
}

export const tooLarge = (maxBytes: number) =>
  new AppError('payload_too_large', `files are limited to ${Math.floor(maxBytes / 1024 / 1024)} MB`, { max_bytes: maxBytes });

export interface ReceiveOptions {
  body: ReadableStream<Uint8Array>;
  maxBytes: number;
  /** The request's Content-Length, when it gave one: fewer bytes means the client went away. */
  declaredLength?: number;
  tempDir: string;
  compressor: Compressor;
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
 * Reads an upload body chunk by chunk into a temp file: counted (cut off past `maxBytes`),
 * hashed (SHA-256 of the original bytes), gzipped in the worker when that pays. Memory stays
 * bounded whatever the size. On any failure the temp file is removed and the error rethrown.
 */
export async function receive(options: ReceiveOptions): Promise<Received> {
  const { body, maxBytes, declaredLength, compressor } = options;
  await mkdir(options.tempDir, { recursive: true });
  const tempPath = join(options.tempDir, `${crypto.randomUUID()}.part`);
  const hasher = new Bun.CryptoHasher('sha256');
  let file: FileSink | undefined;
  let gzip: GzipSession | undefined;
  const inFlight: Promise<Uint8Array>[] = [];
  let size = 0;
  let storedSize = 0;
  let mime: string | undefined;
  let head: Uint8Array[] = [];

  async function store(bytes: Uint8Array) {
    storedSize += bytes.length;
    // Bun's FileSink: node:fs/promises writes held on to far more memory under a fast upload.
    file!.write(bytes);
    await file!.flush();
  }

  async function write(chunk: Uint8Array) {
    if (!gzip) return store(chunk);
    const compressed = gzip.push(chunk);
    compressed.catch(() => {}); // awaited in order below; a failure must not go unhandled meanwhile
    inFlight.push(compressed);
    if (inFlight.length >= IN_FLIGHT) await store(await inFlight.shift()!);
  }

  /** Inspects the first bytes, opens the temp file and the gzip stream if compression pays. */
  async function start(prefix: Uint8Array) {
    if (prefix.length === 0) throw new AppError('bad_request', 'the file is empty');
    const inspected = await options.inspect(prefix);
    mime = inspected.mime;
    file = Bun.file(tempPath).writer({ highWaterMark: 1024 * 1024 });
    if (!inspected.packed && compressor.level > 0) {
      // The same sample whatever the chunking: the same content gets the same decision.
      const sample = prefix.subarray(0, PREFIX_BYTES);
      if ((await compressor.probe(sample)) < sample.length * (1 - MIN_SAVING)) gzip = compressor.open();
    }
    await write(prefix);
  }

  try {
    for await (const chunk of body) {
      size += chunk.length;
      options.onBytes(chunk.length);
      if (size > maxBytes) throw tooLarge(maxBytes);
      hasher.update(chunk);
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
    for (const compressed of inFlight.splice(0)) await store(await compressed);
    if (gzip) await store(await gzip.push(new Uint8Array(0), true));
    await file!.end();
    file = undefined;
    return { tempPath, sha256: hasher.digest('hex'), size, storedSize, compression: gzip ? 'gzip' : 'none', mime: mime! };
  } catch (error) {
    gzip?.abort();
    await Promise.resolve(file?.end()).catch(() => {});
    await rm(tempPath, { force: true });
    throw error instanceof AppError || !isDisconnect(error) ? error : new UploadInterrupted();
  }
}

/** What reading a request body throws when the client goes away mid-upload. */
const isDisconnect = (error: unknown) =>
  error instanceof Error && (error.name === 'AbortError' || (error as { code?: string }).code === 'ECONNRESET');
