import { Elysia } from 'elysia';
import { AppError } from '../../lib/errors.ts';
import { announcesBody, closeIfBodyUnread, routePath } from './client.ts';

/** Reads a request body at the pace rule (lib/body-pace.ts), counting the bodies it cuts off. */
export type Pacer = (body: ReadableStream<Uint8Array>) => AsyncIterable<Uint8Array>;

export interface BodyLimitOptions {
  /** Largest body of a route that reads its body whole (JSON). */
  maxBytes: number;
  /** Smaller caps for some paths (payment notifications are a few kB). */
  caps?: Record<string, number>;
  /** Caps for paths with a parameter (a course's cover image), when `caps` names none. */
  capOf?: (path: string) => number | undefined;
  /** Routes that stream their body and enforce their own limit and pace (uploads). */
  streamed: (path: string) => boolean;
  pace: Pacer;
  /** A body of at most `bytes` is read whole by the runtime, within the same rule (lib/body-pace.ts). */
  paceWhole: { bytes: number; read: (read: () => Promise<Uint8Array>) => Promise<Uint8Array> };
  /** The server's idle timeout, given back to the connection once the body is in. */
  idleTimeoutSeconds: number;
}

const tooLarge = (maxBytes: number) =>
  new AppError('payload_too_large', `request bodies are limited to ${maxBytes} bytes here`, { max_bytes: maxBytes });

/** The client went away mid-body: its own errors (too large, too slow) pass as they are. */
const interrupted = (error: unknown) =>
  error instanceof AppError ? error : new AppError('bad_request', 'the request body was interrupted before its end');

async function readWhole(body: ReadableStream<Uint8Array>, maxBytes: number, pace: Pacer): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of pace(body)) {
      size += chunk.length;
      if (size > maxBytes) throw tooLarge(maxBytes);
      parts.push(chunk);
    }
  } catch (error) {
    throw interrupted(error);
  }
  return Buffer.concat(parts, size);
}

async function readSmall(request: Request, paceWhole: BodyLimitOptions['paceWhole']): Promise<Uint8Array> {
  try {
    return await paceWhole.read(() => request.bytes());
  } catch (error) {
    throw interrupted(error);
  }
}

/** Hands the body already read to Elysia's parsers and any handler, through the usual Request methods. */
function keep(request: Request, bytes: Uint8Array) {
  const copy = () => new Response(bytes, { headers: { 'content-type': request.headers.get('content-type') ?? '' } });
  const read = <K extends 'text' | 'json' | 'arrayBuffer' | 'bytes' | 'blob' | 'formData'>(method: K) => ({
    value: () => copy()[method](),
  });
  Object.defineProperties(request, {
    text: read('text'),
    json: read('json'),
    arrayBuffer: read('arrayBuffer'),
    bytes: read('bytes'),
    blob: read('blob'),
    formData: read('formData'),
    body: { get: () => copy().body },
  });
}

/**
 * Bun's own `maxRequestBodySize` answers an oversized body with an empty 413 (or cuts a
 * chunked one mid-way), before any route runs; it is set high so that the upload route can
 * refuse with its JSON error. Every other route reads its body whole: this refuses a body
 * declared larger than its cap, and a chunked body of unknown length, before any is read.
 *
 * Then it reads the body itself, at the pace rule, before any route runs: Elysia's parsers
 * await `request.json()` with no deadline, leaving only Bun's own timer (undocumented, about
 * 30 s, uncounted) against a trickled body. Bun's timer is off while the rule applies, and the
 * bytes read are handed on through the request's own methods (Elysia cannot be given another
 * Request). A refusal before the body is read closes the connection.
 */
export const bodyLimitPlugin = ({
  maxBytes,
  caps = {},
  capOf = () => undefined,
  streamed,
  pace,
  paceWhole,
  idleTimeoutSeconds,
}: BodyLimitOptions) =>
  new Elysia({ name: 'body-limit' }).onRequest(async ({ request, server, set }) => {
    if (request.method === 'GET' || request.method === 'HEAD') return;
    const path = routePath(request);
    if (streamed(path)) return;
    const cap = caps[path] ?? capOf(path) ?? maxBytes;
    const length = request.headers.get('content-length');
    if (length !== null && Number(length) > cap) {
      closeIfBodyUnread(request, set);
      throw tooLarge(cap);
    }
    if (length === null && request.headers.get('transfer-encoding')?.toLowerCase().includes('chunked')) {
      closeIfBodyUnread(request, set);
      throw new AppError('length_required', 'send the body with a Content-Length; only uploads may stream it', {
        max_bytes: cap,
      });
    }
    if (!request.body || !announcesBody(request)) return;
    server?.timeout(request, 0);
    try {
      const small = length !== null && Number(length) <= paceWhole.bytes;
      keep(request, small ? await readSmall(request, paceWhole) : await readWhole(request.body, cap, pace));
    } catch (error) {
      set.headers.connection = 'close';
      throw error;
    }
    server?.timeout(request, idleTimeoutSeconds);
  });
