import { sql } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';

/**
 * `column IN (the ids)` with the ids as one JSON array parameter named `ids`: one prepared
 * statement serves a list of any length (drizzle's `inArray` rebuilds the SQL for each length,
 * and building costs several times what SQLite takes to run a page's lookup).
 */
export const inJsonList = (column: SQLiteColumn) =>
  sql`${column} IN (SELECT value FROM json_each(${sql.placeholder('ids')}))`;

/** The value of the `ids` parameter. */
export const jsonList = (ids: readonly (string | number)[]) => ({ ids: JSON.stringify(ids) });
