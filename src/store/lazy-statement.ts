/** What a drizzle prepared statement (or a bun:sqlite one) offers; a wrapper passes each call through. */
interface Statement {
  run(...args: never[]): unknown;
  all(...args: never[]): unknown;
  get(...args: never[]): unknown;
  values(...args: never[]): unknown;
}

type Call<S, K extends keyof Statement> =
  S extends Record<K, (...args: infer A) => infer R> ? (...args: A) => R : never;

/** The statement's four calls, each building it on the first one. */
export type LazyStatement<S extends Statement> = { [K in keyof Statement]: Call<S, K> };

/**
 * A prepared statement built on its first use instead of when its module is constructed: a
 * module prepares the statements of its hot paths once, yet the process does not pay for
 * building and preparing all of them before it can answer its first request (start-up cost,
 * ~1 ms each under drizzle, most of them never used by a given process).
 */
export function preparedOnFirstUse<S extends Statement>(build: () => S): LazyStatement<S> {
  let statement: S | undefined;
  const prepared = (): Statement => (statement ??= build());
  const pass =
    (key: keyof Statement) =>
    (...args: never[]) =>
      prepared()[key](...args);
  return { run: pass('run'), all: pass('all'), get: pass('get'), values: pass('values') } as LazyStatement<S>;
}
