import { Type, type IntegerOptions } from '@sinclair/typebox';
import { t } from 'elysia';

/**
 * Models (modules/<x>/model.ts) are written with Elysia's `t`. These two helpers are the only
 * places where `t`'s own variant does not fit, each for the reason given.
 */

/**
 * `t.UnionEnum` without the `default` Elysia gives it (the first value): Elysia fills a
 * missing field with its default, so an omitted optional field would silently take the
 * first value (an omitted `sort` became "newest" even with `q`; a PATCH without `status`
 * put a product back on sale).
 */
export function oneOf<const T extends readonly [string, ...string[]]>(
  values: T,
  options: { description?: string; error?: string } = {},
) {
  const { default: _firstValue, ...schema } = t.UnionEnum(values, options);
  return schema;
}

/**
 * A plain JSON integer (TypeBox's `Type.Integer`). Elysia's `t.Integer` is a transform that also
 * accepts digits in a string ("5"), so JSON bodies would take strings and the OpenAPI document
 * would show every integer as "string or integer". Integer query parameters are converted
 * from text by the route (http/routes/responses.ts, integerQuery).
 */
export const integer = (options?: IntegerOptions) => Type.Integer(options);
