/**
 * Runs fflate's gzip off the main thread: each upload is one stream, identified by `id`.
 * fflate's synchronous deflate blocks 10-30 ms per 64 KiB here; in this worker it only
 * blocks other compressions, never the HTTP server. `bun build --compile` must list this
 * file as an entry point (see package.json "build").
 */
import { Gzip, gzipSync, type DeflateOptions } from 'fflate';
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import type { CompressReply, CompressRequest } from './compress-protocol.ts';

declare const self: Worker;

/**
 * Compression is background work: with two cores, a worker at full speed made the event loop
 * wait for a CPU and pushed /health's p99 past 20 ms during a large upload. A lower priority
 * for this thread (Linux: per-thread nice, thread id from /proc/thread-self) lets the server
 * win the CPU; where that is not available the worker simply runs at normal priority.
 */
try {
  const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
  if (Number.isInteger(tid)) setPriority(tid, 10);
} catch {
  // Not Linux, or not allowed: normal priority.
}

const streams = new Map<number, { gzip: Gzip; out: Uint8Array[] }>();

/**
 * Each push leaves its input and fflate's output buffers behind as garbage; left to its own
 * pace the collector let 30-50 MB pile up during a long upload. A full collection every
 * 4 MiB compressed keeps the process flat (measured: about 1 ms per collection, 2% of the
 * compression time) and costs this thread only, never the event loop.
 */
const COLLECT_EVERY_BYTES = 4 * 1024 * 1024;
let sinceCollect = 0;

/** One buffer of its own, safe to transfer (fflate may hand out views). */
function concat(parts: Uint8Array[]): Uint8Array {
  const only = parts.length === 1 ? parts[0]! : undefined;
  if (only) return only.byteOffset === 0 && only.byteLength === only.buffer.byteLength ? only : new Uint8Array(only);
  const all = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of parts) {
    all.set(part, at);
    at += part.length;
  }
  return all;
}

function reply(message: CompressReply, transfer: Bun.Transferable[] = []) {
  self.postMessage(message, transfer);
}

function handle(request: CompressRequest) {
  switch (request.op) {
    case 'open': {
      const out: Uint8Array[] = [];
      const level = request.level as DeflateOptions['level'];
      streams.set(request.id, { gzip: new Gzip({ level }, (chunk) => void out.push(chunk)), out });
      return;
    }
    case 'push': {
      const stream = streams.get(request.id);
      if (!stream) throw new Error(`no open stream ${request.id}`);
      stream.gzip.push(request.chunk, request.final);
      sinceCollect += request.chunk.length;
      if (sinceCollect >= COLLECT_EVERY_BYTES) {
        sinceCollect = 0;
        Bun.gc(true);
      }
      const data = concat(stream.out.splice(0));
      if (request.final) streams.delete(request.id);
      return reply({ id: request.id, data }, [data.buffer as ArrayBuffer]);
    }
    case 'abort':
      streams.delete(request.id);
      return;
    case 'probe': {
      const size = gzipSync(request.sample, { level: request.level as DeflateOptions['level'] }).length;
      return reply({ id: request.id, size });
    }
  }
}

self.onmessage = (event: MessageEvent<CompressRequest>) => {
  try {
    handle(event.data);
  } catch (error) {
    reply({ id: event.data.id, error: String(error) });
  }
};
