import { Counter, Histogram, type Registry } from '../../lib/prom.ts';

export type UploadOutcome = 'ok' | 'too_large' | 'bad_type' | 'too_slow' | 'aborted' | 'error';
const OUTCOMES: readonly UploadOutcome[] = ['ok', 'too_large', 'bad_type', 'too_slow', 'aborted', 'error'];

/** stored / original: 1 = stored as it is, 0.1 = a tenth of the size. */
const RATIO_BUCKETS = [0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];

/**
 * Metrics of course files, on the app's registry. `bytesServed` is counted by downloads
 * (modules/files/downloads.ts); the rest by uploads.
 */
export function createFileMetrics(registry: Registry) {
  const registers = [registry];
  const uploads = new Counter({
    name: 'file_uploads_total',
    help: 'Finished uploads, by outcome (ok, too_large, bad_type, too_slow, aborted, error).',
    labelNames: ['outcome'],
    registers,
  });
  for (const outcome of OUTCOMES) uploads.inc({ outcome }, 0);
  return {
    bytesReceived: new Counter({
      name: 'file_bytes_received_total',
      help: 'Bytes of upload bodies read, refused uploads included.',
      registers,
    }),
    bytesStored: new Counter({
      name: 'file_bytes_stored_total',
      help: 'Bytes written to new blobs on disk (after compression; deduplicated uploads add nothing).',
      registers,
    }),
    bytesServed: new Counter({
      name: 'file_bytes_served_total',
      help: 'Bytes of course files sent to clients (original, decompressed bytes).',
      registers,
    }),
    uploads,
    compressionRatio: new Histogram({
      name: 'file_compression_ratio',
      help: 'Stored size over original size of each accepted upload (1 = stored as it is).',
      buckets: RATIO_BUCKETS,
      registers,
    }),
  };
}

export type FileMetrics = ReturnType<typeof createFileMetrics>;
