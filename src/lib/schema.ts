import { t } from 'elysia';

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
