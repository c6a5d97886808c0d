import { t, type TSchema } from 'elysia';

export const ErrorResponse = t.Object(
  {
    error: t.Object({
      code: t.String({ examples: ['not_found'] }),
      message: t.String(),
      details: t.Any({ description: 'For validation errors, every bad field: { in, field, message }' }),
    }),
  },
  { description: 'Every error has this shape' },
);

/** Documents the error statuses a route can answer, with the shared error shape. */
export function errors(...statuses: (400 | 401 | 403 | 404 | 408 | 409 | 410 | 413 | 415 | 422 | 429 | 503)[]) {
  return Object.fromEntries(statuses.map((s) => [s, ErrorResponse])) as Record<number, TSchema>;
}

/** Serves JSON that is already serialized (a cache hit costs no encoding). */
export const rawJson = (body: string, status = 200) =>
  new Response(body, { status, headers: { 'content-type': 'application/json' } });

/**
 * Query strings are text; integer parameters are declared as plain `integer` (a clean
 * OpenAPI document and plain messages), and digit-only values are converted before
 * validation. Anything else stays a string and is reported as not an integer.
 */
export function integerQuery(...names: string[]) {
  return ({ query }: { query: Record<string, unknown> }) => toIntegers(query, names);
}

/** The same for path parameters (e.g. a numeric `id`). */
export function integerParams(...names: string[]) {
  return ({ params }: { params: Record<string, unknown> }) => toIntegers(params, names);
}

function toIntegers(values: Record<string, unknown>, names: string[]) {
  for (const name of names) {
    const value = values[name];
    if (typeof value === 'string' && /^-?\d{1,15}$/.test(value)) values[name] = Number(value);
  }
}
