import { Elysia } from 'elysia';
import { AppError } from '../../lib/errors.ts';

export interface BodyLimitOptions {
  /** Largest body of a route that reads its body whole (JSON). */
  maxBytes: number;
  /** Routes that stream their body and enforce their own limit (uploads). */
  streamed: (path: string) => boolean;
}

/**
 * Bun's own `maxRequestBodySize` answers an oversized body with an empty 413 (or cuts a
 * chunked one mid-way), before any route runs; it is set high so that the upload route can
 * refuse with its JSON error. Every other route reads its body whole: this refuses a body
 * declared larger than `maxBytes`, and a chunked body of unknown length, before any is read.
 */
export const bodyLimitPlugin = ({ maxBytes, streamed }: BodyLimitOptions) =>
  new Elysia({ name: 'body-limit' }).onRequest(({ request }) => {
    if (request.method === 'GET' || request.method === 'HEAD') return;
    if (streamed(new URL(request.url).pathname)) return;
    const length = request.headers.get('content-length');
    if (length !== null && Number(length) > maxBytes) {
      throw new AppError('payload_too_large', `request bodies are limited to ${maxBytes} bytes here`, { max_bytes: maxBytes });
    }
    if (length === null && request.headers.get('transfer-encoding')?.toLowerCase().includes('chunked')) {
      throw new AppError('length_required', 'send the body with a Content-Length; only uploads may stream it', {
        max_bytes: maxBytes,
      });
    }
  });
