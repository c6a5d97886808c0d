/**
 * A statement built and prepared once, on first use, then reused: building a drizzle query
 * costs tens of microseconds (and SQLite's prepare as much again), several times what SQLite
 * takes to run a keyed lookup or a one-row write. Values that change from call to call are
 * `sql.placeholder('name')`s, given to `.get/.all/.run({ name })`.
 *
 * Lazy, so that building a module prepares nothing its requests do not use (start-up time).
 * A statement prepared on the store's `db` runs on its one connection: inside a transaction
 * opened on that connection (`db.transaction`) it is part of that transaction.
 */
export function preparedOnce<T>(build: () => T): () => T {
  let statement: T | undefined;
  return () => {
    statement ??= build();
    return statement;
  };
}
