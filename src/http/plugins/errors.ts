import { Elysia, type ValidationError } from 'elysia';
import { AppError, type ErrorCode } from '../../lib/errors.ts';
import type { Logger } from '../../lib/logger.ts';

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  request_timeout: 408,
  gone: 410,
  length_required: 411,
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation_failed: 422,
  rate_limited: 429,
  unavailable: 503,
};

export interface FieldProblem {
  in: string;
  field: string;
  message: string;
}

/** Every bad field of a request, not just the first one. */
function fieldProblems(error: Pick<ValidationError, 'type' | 'all'>): FieldProblem[] {
  // TypeBox reports a field once per failed branch; the first message per field says it best.
  const byField = new Map<string, FieldProblem>();
  for (const issue of error.all) {
    const path = 'path' in issue && typeof issue.path === 'string' ? issue.path : '';
    const field = path.replace(/^\//, '').replaceAll('/', '.') || '(root)';
    const custom = 'schema' in issue ? (issue.schema as { error?: unknown }).error : undefined;
    const summary = 'summary' in issue && issue.summary ? String(issue.summary) : String(issue.message);
    const message = typeof custom === 'string' ? custom : summary;
    if (!byField.has(field)) byField.set(field, { in: error.type, field, message });
  }
  return [...byField.values()];
}

export function errorBody(code: string, message: string, details: unknown = null) {
  return { error: { code, message, details } };
}

/**
 * One JSON shape for every error: `{ error: { code, message, details } }`. Unexpected errors
 * are logged with their stack and answered 500 without one.
 */
export const errorsPlugin = (logger: Logger) =>
  new Elysia({ name: 'errors' }).onError({ as: 'global' }, ({ code, error, set, request }) => {
    set.headers['content-type'] = 'application/json';
    // A route's own body parser (routes/json-body.ts) says why it refused; Elysia wraps it.
    const appError = code === 'PARSE' && error.cause instanceof AppError ? error.cause : error;
    if (appError instanceof AppError) {
      set.status = STATUS[appError.code];
      if (appError.retryAfterSeconds !== undefined) set.headers['retry-after'] = String(appError.retryAfterSeconds);
      return errorBody(appError.code, appError.message, appError.details);
    }
    const internal = () => {
      set.status = 500;
      logger.error({ err: error, method: request.method, url: request.url }, 'unhandled error');
      return errorBody('internal', 'an unexpected error occurred; it has been logged');
    };
    switch (code) {
      case 'VALIDATION': {
        // An answer that breaks its own documented schema is the server's fault, not the client's.
        if (error.type === 'response') return internal();
        set.status = 422;
        const problems = fieldProblems(error);
        return errorBody(
          'validation_failed',
          `invalid ${error.type}: ${problems.map((p) => p.field).join(', ')}`,
          problems,
        );
      }
      case 'NOT_FOUND':
        set.status = 404;
        return errorBody('not_found', `no route for ${request.method} ${new URL(request.url).pathname}`);
      case 'PARSE':
        set.status = 400;
        return errorBody('bad_request', 'the request body could not be parsed; send valid JSON');
      case 'INVALID_COOKIE_SIGNATURE':
        set.status = 400;
        return errorBody('bad_request', 'invalid cookie signature');
      default: {
        const status = typeof set.status === 'number' ? set.status : 500;
        if (status === 413 || /too large|body size/i.test(String((error as Error)?.message))) {
          set.status = 413;
          return errorBody('payload_too_large', 'the request body is too large');
        }
        return internal();
      }
    }
  });
