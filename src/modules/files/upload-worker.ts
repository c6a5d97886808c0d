/**
 * gzip for uploads, off the event loop: the main thread spools a compressible body to disk as
 * fast as the client sends it; this worker follows the spool as it grows, hashes it (SHA-256
 * of the original bytes) and gzips it with fflate into the upload's temp file. fflate's
 * synchronous deflate blocks 10-30 ms per 64 KiB here; in this thread it only delays other
 * uploads, never an HTTP answer. `bun build --compile` must list this file as an entry point
 * (see package.json "build").
 */
import { Gzip, gzipSync, type DeflateOptions } from 'fflate';
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { lowerThreadPriority } from '../../lib/thread-priority.ts';
import type { UploadWorkerReply, UploadWorkerRequest } from './upload-worker-protocol.ts';

declare const self: Worker;

/**
 * This is background work: with two cores, a worker at full speed made the event loop wait for
 * a CPU and pushed /health's p99 past 20 ms during a large upload. A lower priority for this
 * thread (Linux: per-thread nice, thread id from /proc/thread-self) lets the server win the
 * CPU; where that is not available the worker simply runs at normal priority.
 */
lowerThreadPriority();

/** Bytes read at a time, and handled per job before the other jobs get a turn. */
const READ_BYTES = 64 * 1024;
const SLICE_BYTES = 1024 * 1024;

/**
 * fflate's output buffers are garbage once written; left to its own pace the collector let
 * 30-50 MB pile up during a long upload. A full collection every 4 MiB compressed keeps the
 * process flat (about 1 ms per collection, 2% of the compression time) and costs this thread only.
 */
const COLLECT_EVERY_BYTES = 4 * 1024 * 1024;
let sinceCollect = 0;

interface Job {
  spool: number;
  out: number;
  hasher: Bun.CryptoHasher;
  gzip: Gzip;
  /** Bytes of the spool handled so far, and known to be there. */
  done: number;
  available: number;
  final: boolean;
  stored: number;
}

const jobs = new Map<number, Job>();
/** Every consumer copies what it reads (the hasher, fflate's window), so one buffer serves all jobs. */
const buffer = new Uint8Array(READ_BYTES);

const reply = (message: UploadWorkerReply) => self.postMessage(message);

function close(id: number) {
  const job = jobs.get(id);
  if (!job) return;
  jobs.delete(id);
  closeSync(job.spool);
  closeSync(job.out);
}

function open(request: Extract<UploadWorkerRequest, { op: 'open' }>): Job {
  // 'r' and 'r+' create nothing: after an abort the main thread removes the files, and a late
  // open must fail rather than leave a file behind.
  const spool = openSync(request.spool, 'r');
  let out: number;
  try {
    out = openSync(request.out, 'r+');
  } catch (error) {
    closeSync(spool);
    throw error;
  }
  const job: Job = {
    spool,
    out,
    hasher: new Bun.CryptoHasher('sha256'),
    // Called during push(), once `job` exists.
    gzip: new Gzip({ level: request.level as DeflateOptions['level'] }, (chunk) => {
      for (let at = 0; at < chunk.length; ) at += writeSync(out, chunk, at);
      job.stored += chunk.length;
    }),
    done: 0,
    available: 0,
    final: false,
    stored: 0,
  };
  return job;
}

/** Handles up to SLICE_BYTES of the job's spool; answers once the final byte is handled. */
function advance(id: number, job: Job) {
  const until = Math.min(job.available, job.done + SLICE_BYTES);
  while (job.done < until) {
    const got = readSync(job.spool, buffer, 0, Math.min(READ_BYTES, until - job.done), job.done);
    if (got === 0) throw new Error(`the spool ended at ${job.done} bytes, ${job.available} were announced`);
    const chunk = buffer.subarray(0, got);
    job.done += got;
    job.hasher.update(chunk);
    job.gzip.push(chunk);
    sinceCollect += got;
  }
  if (job.final && job.done === job.available) {
    job.gzip.push(new Uint8Array(0), true);
    close(id);
    reply({ id, sha256: job.hasher.digest('hex'), storedSize: job.stored });
  }
  if (sinceCollect >= COLLECT_EVERY_BYTES) {
    sinceCollect = 0;
    Bun.gc(true);
  }
}

let scheduled = false;

/** Round-robin over the jobs with bytes to handle, yielding between rounds for new messages. */
function pump() {
  scheduled = false;
  let more = false;
  for (const [id, job] of jobs) {
    try {
      if (job.done < job.available || job.final) advance(id, job);
    } catch (error) {
      close(id);
      reply({ id, error: String(error) });
    }
    more ||= jobs.has(id) && job.done < job.available;
  }
  if (more) schedule();
}

function schedule() {
  if (scheduled) return;
  scheduled = true;
  setTimeout(pump, 0);
}

function handle(request: UploadWorkerRequest) {
  switch (request.op) {
    case 'open':
      jobs.set(request.id, open(request));
      return;
    case 'grow': {
      const job = jobs.get(request.id);
      if (!job) return; // it failed, and said so
      job.available = request.length;
      job.final = request.final;
      return schedule();
    }
    case 'abort':
      return close(request.id);
    case 'probe': {
      const gzippedSize = gzipSync(request.sample, { level: request.level as DeflateOptions['level'] }).length;
      return reply({ id: request.id, gzippedSize });
    }
  }
}

self.onmessage = (event: MessageEvent<UploadWorkerRequest>) => {
  try {
    handle(event.data);
  } catch (error) {
    reply({ id: event.data.id, error: String(error) });
  }
};
