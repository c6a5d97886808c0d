import { Elysia } from 'elysia';
import { AppError } from '../../lib/errors.ts';
import { closeIfBodyUnread, routePath } from './client.ts';

export interface BodyLimitOptions {
  /** Largest body of a route that reads its body whole (JSON). */
  maxBytes: number;
  /** Smaller caps for some paths (payment notifications are a few kB). */
  caps?: Record<string, number>;
  /** Routes that stream their body and enforce their own limit (uploads). */
  streamed: (path: string) => boolean;
}

const tooLarge = (maxBytes: number) =>
  new AppError('payload_too_large', `request bodies are limited to ${maxBytes} bytes here`, { max_bytes: maxBytes });

/**
 * Bun's own `maxRequestBodySize` answers an oversized body with an empty 413 (or cuts a
 * chunked one mid-way), before any route runs; it is set high so that the upload route can
 * refuse with its JSON error. Every other route reads its body whole: this refuses a body
 * declared larger than its cap, and a chunked body of unknown length, before any is read.
 * A refusal before the body is read closes the connection.
 */
export const bodyLimitPlugin = ({ maxBytes, caps = {}, streamed }: BodyLimitOptions) =>
  new Elysia({ name: 'body-limit' }).onRequest(({ request, set }) => {
    if (request.method === 'GET' || request.method === 'HEAD') return;
    const path = routePath(request);
    if (streamed(path)) return;
    const cap = caps[path] ?? maxBytes;
    const length = request.headers.get('content-length');
    if (length !== null && Number(length) > cap) {
      closeIfBodyUnread(request, set);
      throw tooLarge(cap);
    }
    if (length === null && request.headers.get('transfer-encoding')?.toLowerCase().includes('chunked')) {
      closeIfBodyUnread(request, set);
      throw new AppError('length_required', 'send the body with a Content-Length; only uploads may stream it', { max_bytes: cap });
    }
  });
