import type { ErrorCode } from '../../lib/errors.ts';
import type { ListProductsInput } from './model.ts';

/** Messages between the catalog reader (reader.ts, main thread) and reader-worker.ts. */
export type ReaderRequest = { op: 'open'; path: string } | { op: 'products'; id: number; input: ListProductsInput };

/** Each `products` request gets exactly one reply: the page as JSON, or why there is none. */
export type ReaderReply =
  | { id: number; json: string }
  | { id: number; error: { code: ErrorCode; message: string; details: unknown } }
  | { id: number; failure: string };
