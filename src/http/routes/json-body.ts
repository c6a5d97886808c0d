import type { Context } from 'elysia';
import { AppError } from '../../lib/errors.ts';
import { errors } from './responses.ts';

/** `application/json` and the structured `+json` types (`application/merge-patch+json` ...). */
const isJson = (contentType: string) => /^application\/(?:[\w.-]+\+)?json$/i.test(contentType.trim());

/**
 * Elysia parses a body by its content type, so a JSON route would also take a form
 * (urlencoded or multipart) and validate its string fields as if they were JSON. A JSON
 * route reads JSON and nothing else: another content type is refused (415), text that is
 * not JSON gets 400. Without a body it returns null, and validation says the body is missing.
 * Elysia hands `contentType` without its parameters (`; charset=utf-8`), '' when absent.
 */
async function parseJsonOnly({ request }: Pick<Context, 'request'>, contentType: string): Promise<unknown> {
  if (request.body === null) return null;
  if (!isJson(contentType)) {
    const sent = contentType ? ` (this one was sent as ${contentType})` : '';
    throw new AppError('unsupported_media_type', `send the body as JSON, with Content-Type: application/json${sent}`, {
      content_type: contentType || null,
      accepted: ['application/json'],
    });
  }
  const text = await request.text();
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AppError('bad_request', 'the request body could not be parsed; send valid JSON', {
      reason: error instanceof Error ? error.message : String(error),
    });
  }
}

/**
 * Route options of a JSON-body route. The trailing `'json'` is never reached (the function
 * above always answers); it tells the OpenAPI generator the body is `application/json`.
 */
export const jsonBody = { parse: [parseJsonOnly, 'json' as const] };

/** What every JSON-body route may answer before its handler: bad JSON, too slow (BODY_TIMEOUT), too large, not JSON. */
export const JSON_BODY_ERRORS = [400, 408, 413, 415] as const;

/** `errors(...)` of a JSON-body route: its own statuses and those of reading the body. */
export const jsonErrors = (...statuses: Parameters<typeof errors>) => errors(...JSON_BODY_ERRORS, ...statuses);
