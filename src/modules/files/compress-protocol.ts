/** Messages between the compressor (main thread) and compress-worker.ts. */
export type CompressRequest =
  | { op: 'open'; id: number; level: number }
  | { op: 'push'; id: number; chunk: Uint8Array; final: boolean }
  | { op: 'abort'; id: number }
  | { op: 'probe'; id: number; sample: Uint8Array; level: number };

/** One reply per `push` and per `probe`, in the order they were sent. */
export type CompressReply = { id: number; data: Uint8Array } | { id: number; size: number } | { id: number; error: string };
