/** Messages between the upload worker's client (main thread) and upload-worker.ts. */
export type UploadWorkerRequest =
  /**
   * Follow `spool` as the main thread writes it: hash every byte and gzip them into `out`.
   * Both files exist already (the worker creates none).
   */
  | { op: 'open'; id: number; spool: string; out: string; level: number }
  /** `spool` now holds at least `length` bytes; `final`: it will never hold more. */
  | { op: 'grow'; id: number; length: number; final: boolean }
  | { op: 'abort'; id: number }
  | { op: 'probe'; id: number; sample: Uint8Array; level: number };

/** Each `probe` and each job gets exactly one reply. */
export type UploadWorkerReply =
  | { id: number; gzippedSize: number }
  | { id: number; sha256: string; storedSize: number }
  | { id: number; error: string };
