/**
 * The wire format of the fake Bot API: response envelopes, the errors Telegram answers with,
 * and reading a request's parameters the four ways the Bot API accepts them (query string,
 * application/x-www-form-urlencoded, application/json, multipart/form-data). Sources are
 * listed in ../telegram.ts.
 */
import { createHash } from 'node:crypto';

/** 50 MiB: the largest file a bot may upload; 20 MiB: the largest getFile will serve. */
export const UPLOAD_LIMIT_BYTES = 50 * 1024 * 1024;
export const DOWNLOAD_LIMIT_BYTES = 20 * 1024 * 1024;
/** A multipart body larger than this is cut off unread (room for the non-file fields). */
const BODY_LIMIT_BYTES = UPLOAD_LIMIT_BYTES + 1024 * 1024;

export interface ResponseParameters {
  retry_after?: number;
  migrate_to_chat_id?: number;
}

/** The failure envelope minus `ok`: what `failNext` takes and what a handler throws. */
export interface ApiErrorBody {
  error_code: number;
  description: string;
  parameters?: ResponseParameters;
}

export type ApiResponse = { ok: true; result: unknown; description?: string } | ({ ok: false } & ApiErrorBody);

/** A success that also carries a `description` ("Webhook was set"), as setWebhook answers. */
export class Described {
  constructor(
    readonly result: unknown,
    readonly description: string,
  ) {}
}

/** Thrown by a method handler to answer with Telegram's error envelope. */
export class ApiError extends Error {
  constructor(readonly body: ApiErrorBody) {
    super(body.description);
  }
}

/** Errors as Telegram words them, for handlers and for tests' fault injection. */
export const TelegramErrors = {
  unauthorized: (): ApiErrorBody => ({ error_code: 401, description: 'Unauthorized' }),
  notFound: (): ApiErrorBody => ({ error_code: 404, description: 'Not Found' }),
  methodNotFound: (): ApiErrorBody => ({ error_code: 404, description: 'Not Found: method not found' }),
  badRequest: (what: string): ApiErrorBody => ({ error_code: 400, description: `Bad Request: ${what}` }),
  blocked: (): ApiErrorBody => ({ error_code: 403, description: 'Forbidden: bot was blocked by the user' }),
  tooManyRequests: (retryAfter: number): ApiErrorBody => ({
    error_code: 429,
    description: `Too Many Requests: retry after ${retryAfter}`,
    parameters: { retry_after: retryAfter },
  }),
  entityTooLarge: (): ApiErrorBody => ({ error_code: 413, description: 'Request Entity Too Large' }),
  /** getUpdates while a webhook is set. */
  webhookActive: (): ApiErrorBody => ({
    error_code: 409,
    description:
      "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
  }),
  /** Answered to the OLDER of two overlapping long polls (the newer one keeps waiting). */
  otherGetUpdates: (): ApiErrorBody => ({
    error_code: 409,
    description: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
  }),
  /** Answered to a pending long poll when setWebhook is called. */
  terminatedBySetWebhook: (): ApiErrorBody => ({
    error_code: 409,
    description: 'Conflict: terminated by setWebhook request',
  }),
  notModified: (): ApiErrorBody => ({
    error_code: 400,
    description:
      'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
  }),
  /** An unknown, already answered or expired callback / pre-checkout query id. */
  queryInvalid: (): ApiErrorBody => ({
    error_code: 400,
    description: 'Bad Request: query is too old and response timeout expired or query ID is invalid',
  }),
  internal: (): ApiErrorBody => ({ error_code: 500, description: 'Internal Server Error' }),
  badGateway: (): ApiErrorBody => ({ error_code: 502, description: 'Bad Gateway' }),
};

/** HTTP status = error_code, JSON body, and `Retry-After` beside `parameters.retry_after`. */
export function errorResponse(body: ApiErrorBody): {
  status: number;
  envelope: ApiResponse;
  headers: Record<string, string>;
} {
  const headers: Record<string, string> = {};
  if (body.parameters?.retry_after !== undefined) headers['retry-after'] = String(body.parameters.retry_after);
  return { status: body.error_code, envelope: { ok: false, ...body }, headers };
}

/** A file part of a multipart request, kept whole (the fake is for tests, not for 2 GB). */
export interface Upload {
  field: string;
  filename: string;
  bytes: Uint8Array;
  size: number;
  sha256: string;
}

export interface ParsedRequest {
  params: Record<string, unknown>;
  /** File parts by their form field name (`document`, or the id an `attach://id` names). */
  uploads: Map<string, Upload>;
}

/** Form values that hold JSON (reply_markup, entities...) are decoded; scalars stay strings. */
function formValue(value: string): unknown {
  if (!/^\s*[[{]/.test(value)) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function parseJsonObject(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError(TelegramErrors.badRequest("can't parse JSON object"));
  }
  return body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

/** Reads the body with a byte ceiling: an oversized upload is refused, never buffered whole. */
async function readCapped(request: Request, limit: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (declared > limit) throw new ApiError(TelegramErrors.entityTooLarge());
  if (declared >= 0) return new Uint8Array(await request.arrayBuffer());
  // Chunked: count as it comes; past the limit keep reading but drop the bytes, so the client
  // finishes sending and reads the 413 (answering mid-upload would look like a network error).
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of request.body ?? []) {
    total += chunk.byteLength;
    if (total <= limit) chunks.push(chunk);
  }
  if (total > limit) throw new ApiError(TelegramErrors.entityTooLarge());
  return Buffer.concat(chunks);
}

export async function parseRequest(request: Request): Promise<ParsedRequest> {
  const params: Record<string, unknown> = {};
  const uploads = new Map<string, Upload>();
  for (const [key, value] of new URL(request.url).searchParams) params[key] = formValue(value);
  if (request.method !== 'POST') return { params, uploads };
  const contentType = request.headers.get('content-type') ?? '';
  const type = contentType.toLowerCase();
  if (type.startsWith('application/json')) {
    Object.assign(params, parseJsonObject(await request.text()));
  } else if (type.startsWith('application/x-www-form-urlencoded')) {
    for (const [key, value] of new URLSearchParams(await request.text())) params[key] = formValue(value);
  } else if (type.startsWith('multipart/form-data')) {
    const bytes = await readCapped(request, BODY_LIMIT_BYTES);
    // The boundary is case-sensitive: hand the header on exactly as it came.
    const form = await new Response(bytes, { headers: { 'content-type': contentType } }).formData();
    for (const [key, value] of form) {
      if (typeof value === 'string') {
        params[key] = formValue(value);
        continue;
      }
      const data = new Uint8Array(await value.arrayBuffer());
      const sha256 = createHash('sha256').update(data).digest('hex');
      uploads.set(key, { field: key, filename: value.name, bytes: data, size: data.byteLength, sha256 });
    }
  }
  return { params, uploads };
}
