import type { Database, Statement } from "better-sqlite3";

/**
 * Prepared statements kept for reuse on the one SQLite connection. Prisma's better-sqlite3
 * adapter prepares every query anew (`client.prepare(sql).bind(args)`), which the benchmarks
 * found to be about a tenth of a dialog step's CPU; Prisma's queries are few distinct SQL texts,
 * so almost every one is a cache hit.
 *
 * better-sqlite3 lets `bind()` be called once per statement, so a cached statement is handed
 * out behind a thin wrapper whose `bind(args)` returns a view that passes the arguments at each
 * call instead: the subset of the Statement API the adapter uses (reader, run, columns,
 * raw().all()).
 */
export function cacheStatements(db: Database, capacity = 1000): void {
  const prepare = db.prepare.bind(db);
  const cache = new Map<string, Statement>();
  db.prepare = ((sql: string) => {
    let statement = cache.get(sql);
    if (statement) {
      // Least recently used goes first: move this one to the end.
      cache.delete(sql);
    } else {
      statement = prepare(sql);
      if (cache.size >= capacity) cache.delete(cache.keys().next().value!);
    }
    cache.set(sql, statement);
    return reusable(statement);
  }) as Database["prepare"];
}

function reusable(statement: Statement) {
  const bound = (args: unknown[]) => ({
    reader: statement.reader,
    run: () => statement.run(args),
    columns: () => statement.columns(),
    raw: () => ({ all: () => statement.raw(true).all(args) }),
  });
  return {
    reader: statement.reader,
    bind: (args: unknown[]) => bound(args),
    run: (...args: unknown[]) => statement.run(...args),
  };
}
