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
  /** The body: chunks produced on demand, never the whole file in memory. */
  stream: ReadableStream<Uint8Array>;
  /** SHA-256 (hex) of everything the stream produced, once it is drained. */
  sha256(): string;
  sent(): number;
}

const BASE_BYTES = 4 * 1024 * 1024;
let base: Uint8Array | undefined;

/**
 * `total` bytes of text that compresses like prose (gzip keeps about a third), made of
 * numbered chunks cut from a 4 MiB pool at shifting offsets so that no two chunks are equal.
 * With `abortAfter`, the stream fails after that many bytes (a client that goes away).
 */
export function generatedText(total: number, chunkBytes = 256 * 1024): GeneratedUpload {
  base ??= wordText(BASE_BYTES);
  const pool = base;
  const hasher = new Bun.CryptoHasher('sha256');
  let sent = 0;
  let index = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= total) return controller.close();
      const size = Math.min(chunkBytes, total - sent);
      const offset = (index * 104_729) % (pool.length - size);
      const chunk = pool.slice(offset, offset + size);
      chunk.set(new TextEncoder().encode(`#${index} `).subarray(0, size));
      index++;
      hasher.update(chunk);
      sent += size;
      controller.enqueue(chunk);
    },
  });
  let digest: string | undefined;
  return { stream, sha256: () => (digest ??= hasher.digest('hex')), sent: () => sent };
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
    stop(): number {
      clearInterval(timer);
      return Math.max(peak, rssOf(pid));
    },
  };
}

/** SHA-256 (hex) and size of a stored blob's original bytes, decompressing gzip on the fly. */
export async function hashBlob(path: string, compression: 'none' | 'gzip') {
  let stream = Bun.file(path).stream() as ReadableStream<Uint8Array>;
  if (compression === 'gzip') stream = stream.pipeThrough(new DecompressionStream('gzip') as ReadableWritablePair<Uint8Array, Uint8Array>);
  const hasher = new Bun.CryptoHasher('sha256');
  let size = 0;
  for await (const chunk of stream) {
    hasher.update(chunk);
    size += chunk.length;
  }
  return { sha256: hasher.digest('hex'), size };
}
