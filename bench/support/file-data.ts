/**
 * Upload bodies for the files bench, produced chunk by chunk on demand (never whole in memory)
 * and deterministic: the same kind and size give the same bytes every time, so the app and the
 * ceiling receive exactly the same content and its SHA-256 is known once the stream is drained.
 */

export const MB = 1024 * 1024;
const CHUNK_BYTES = 256 * 1024;

export interface GeneratedBody {
  /** The body, produced on demand. Each pull yields a fresh buffer (the sender may keep it). */
  stream: ReadableStream<Uint8Array>;
  /** SHA-256 (hex) of everything the stream produced; valid once it is drained. */
  sha256(): string;
  /** Bytes produced so far. */
  sent(): number;
}

function generated(total: number, fill: (chunk: Uint8Array, index: number, offset: number) => void): GeneratedBody {
  const hasher = new Bun.CryptoHasher('sha256');
  let sent = 0;
  let index = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= total) return controller.close();
      const chunk = new Uint8Array(Math.min(CHUNK_BYTES, total - sent));
      fill(chunk, index++, sent);
      hasher.update(chunk);
      sent += chunk.length;
      controller.enqueue(chunk);
    },
  });
  let digest: string | undefined;
  return { stream, sha256: () => (digest ??= hasher.digest('hex')), sent: () => sent };
}

const WORDS = (
  'lesson chapter wallet bitcoin fees custody seed phrase module exercise video course python ' +
  'lambda market order buyer seller price invoice ledger network block chain hash key signature ' +
  'the of and to in is for on with as by at from or an be this that'
).split(' ');

/** 4 MiB of pseudo-random words and sentences (fixed seed), cut into chunks at shifting offsets. */
let textPool: Uint8Array | undefined;
function wordPool(bytes = 4 * MB, seed = 42): Uint8Array {
  let state = seed >>> 0;
  const parts: string[] = [];
  let length = 0;
  while (length < bytes) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const word = WORDS[state % WORDS.length]!;
    const separator = state % 13 === 0 ? '.\n' : state % 7 === 0 ? ', ' : ' ';
    parts.push(word, separator);
    length += word.length + separator.length;
  }
  return new TextEncoder().encode(parts.join('')).subarray(0, bytes);
}

/**
 * Text that compresses like prose (gzip level 6 keeps about a third): each chunk is a numbered
 * slice of a 4 MiB word pool at a shifting offset, so no two chunks are alike. For a `.txt`.
 */
export function compressibleText(total: number): GeneratedBody {
  const pool = (textPool ??= wordPool());
  const encoder = new TextEncoder();
  return generated(total, (chunk, index) => {
    const offset = (index * 104_729) % (pool.length - chunk.length);
    chunk.set(pool.subarray(offset, offset + chunk.length));
    encoder.encodeInto(`#${index} `, chunk);
  });
}

/** The first 24 bytes of an ISO base media file: an `ftyp` box, brand isom (file-type says mp4). */
const MP4_FTYP = new Uint8Array([
  0, 0, 0, 0x18, ...new TextEncoder().encode('ftypisom'), 0, 0, 2, 0, ...new TextEncoder().encode('isomiso2'),
]);

/**
 * An MP4 `ftyp` header then pseudo-random bytes (xorshift32, fixed seed): incompressible, a big
 * course video as far as validation is concerned. For a `.mp4`.
 */
export function incompressibleVideo(total: number, seed = 0x9e3779b9): GeneratedBody {
  let state = seed >>> 0 || 1;
  return generated(total, (chunk, _index, offset) => {
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
