import { AsyncLocalStorage } from "node:async_hooks";

/**
 * Rows read to decide a customer's language, kept for the span of one update: the bot decides the
 * language when the update arrives and again when it renders the answer (the order's own
 * language may weigh in there), and both read the same chat and customer. Within the scope a row
 * is read once; choosing a language forgets what was read.
 */
const scope = new AsyncLocalStorage<Map<string, Promise<unknown>>>();

/** Runs `fn` with a fresh memo of language rows (one per update). */
export const withLanguageFactsScope = <T>(fn: () => Promise<T>): Promise<T> => scope.run(new Map(), fn);

/** `read()` once per key within the current scope; outside any scope, every time. */
export function memoizedRow<T>(key: string, read: () => Promise<T>): Promise<T> {
  const memo = scope.getStore();
  if (!memo) return read();
  let row = memo.get(key) as Promise<T> | undefined;
  if (!row) {
    row = read();
    memo.set(key, row);
  }
  return row;
}

/** The customer chose a language: what this update read about it is out of date. */
export const forgetLanguageRows = (): void => scope.getStore()?.clear();
