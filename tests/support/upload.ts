import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const WORDS = (
  'lesson chapter wallet bitcoin fees custody seed phrase module exercise video course python ' +
  'lambda market order buyer seller price invoice ledger network block chain hash key signature ' +
  'the of and to in is for on with as by at from or an be this that'
).split(' ');

/** Pseudo-random words (a fixed seed: the same bytes every run). */
function wordText(bytes: number, seed = 42): Uint8Array {
  let state = seed >>> 0;
  const parts: string[] = [];
  let length = 0;
  while (length < bytes) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const word = WORDS[state % WORDS.length]!;
    const separator = state % 13 === 0 ? '.\n' : ' ';
    parts.push(word, separator);
    length += word.length + separator.length;
  }
  return new TextEncoder().encode(parts.join('')).subarray(0, bytes);
}

export interface GeneratedUpload {
  /** The body: chunks produced on demand, never the whole file in memory; each a fresh buffer. */
  stream: ReadableStream<Uint8Array>;
  /** SHA-256 (hex) of everything the stream produced, once it is drained. */
  sha256(): string;
  sent(): number;
}

export const MB = 1024 * 1024;
const CHUNK_BYTES = 256 * 1024;

function generated(
  total: number,
  chunkBytes: number,
  fill: (chunk: Uint8Array, index: number, offset: number) => void,
): GeneratedUpload {
  const hasher = new Bun.CryptoHasher('sha256');
  let sent = 0;
  let index = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= total) return controller.close();
      const chunk = new Uint8Array(Math.min(chunkBytes, total - sent));
      fill(chunk, index++, sent);
      hasher.update(chunk);
      sent += chunk.length;
      controller.enqueue(chunk);
    },
  });
  let digest: string | undefined;
  return { stream, sha256: () => (digest ??= hasher.digest('hex')), sent: () => sent };
}

let pool: Uint8Array | undefined;

/**
 * `total` bytes of text that compresses like prose (gzip keeps about a third), made of
 * numbered chunks cut from a 4 MiB word pool at shifting offsets, so no two chunks are equal.
 * Deterministic: the same size gives the same bytes. For a `.txt`.
 */
export function generatedText(total: number, chunkBytes = CHUNK_BYTES): GeneratedUpload {
  const words = (pool ??= wordText(4 * MB));
  const encoder = new TextEncoder();
  return generated(total, chunkBytes, (chunk, index) => {
    const offset = (index * 104_729) % (words.length - chunk.length);
    chunk.set(words.subarray(offset, offset + chunk.length));
    encoder.encodeInto(`#${index} `, chunk);
  });
}

/** The first 24 bytes of an ISO base media file: an `ftyp` box, brand isom (file-type says mp4). */
const MP4_FTYP = new Uint8Array([
  0,
  0,
  0,
  0x18,
  ...new TextEncoder().encode('ftypisom'),
  0,
  0,
  2,
  0,
  ...new TextEncoder().encode('isomiso2'),
]);

/**
 * An MP4 `ftyp` header then pseudo-random bytes (xorshift32; another seed, other bytes):
 * incompressible, a big course video as far as validation is concerned. For a `.mp4`.
 */
export function generatedVideo(total: number, seed = 0x9e3779b9): GeneratedUpload {
  let state = seed >>> 0 || 1;
  return generated(total, CHUNK_BYTES, (chunk, _index, offset) => {
    const words = new Uint32Array(chunk.buffer, 0, chunk.length >>> 2);
    for (let i = 0; i < words.length; i++) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      words[i] = state >>> 0;
    }
    for (let i = words.length * 4; i < chunk.length; i++) chunk[i] = i & 0xff;
    if (offset === 0) chunk.set(MP4_FTYP);
  });
}

/** Every regular file under `dir` (none when it does not exist), as paths relative to it. */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  if (!existsSync(dir)) return out;
  const walk = (path: string, relative: string) => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const child = join(path, entry.name);
      const name = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child, name);
      else out.push(name);
    }
  };
  walk(dir, '');
  return out.sort();
}

/** Resident memory of a process, in bytes (Linux). */
export function rssOf(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}

/** Samples a process's RSS every `everyMs` until stopped; returns the peak. */
export function sampleRss(pid: number, everyMs = 50) {
  let peak = rssOf(pid);
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, rssOf(pid));
    } catch {
      // the process has exited
    }
  }, everyMs);
  return {
    /** The peak RSS, in bytes. */
    stop(): number {
      clearInterval(timer);
      return Math.max(peak, rssOf(pid));
    },
  };
}

/** SHA-256 (hex) and size of a stored blob's original bytes, decompressing gzip on the fly. */
export async function hashBlob(path: string, compression: 'none' | 'gzip') {
  let stream = Bun.file(path).stream() as ReadableStream<Uint8Array>;
  if (compression === 'gzip')
    stream = stream.pipeThrough(new DecompressionStream('gzip') as ReadableWritablePair<Uint8Array, Uint8Array>);
  const hasher = new Bun.CryptoHasher('sha256');
  let size = 0;
  for await (const chunk of stream) {
    hasher.update(chunk);
    size += chunk.length;
  }
  return { sha256: hasher.digest('hex'), size };
}
