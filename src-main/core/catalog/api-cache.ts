// The response cache over api_cache: an answer is reused while fresh (fetched_at + ttl > now), so a
// catalog page opened twice in a day asks NGC once. Only successful bodies are kept; the key names the
// request (method, URL, and whose sign-in when one was used), never a secret.
import type { CatalogRepository } from '../store/catalog';

export interface AnswerCache {
  /** The body under `key` while it is fresh; undefined when absent or expired. */
  fresh(key: string): string | undefined;
  /** Keeps `body` under `key` for `ttlMs` from now. */
  store(key: string, body: string, ttlMs: number): void;
}

/** `readOnly`: answers are read, never written (a read-only core writes nothing). */
export function createAnswerCache(cache: CatalogRepository['cache'], now: () => number, readOnly = false): AnswerCache {
  return {
    fresh(key) {
      const hit = cache.get(key);
      return hit && hit.fetchedAt + hit.ttlMs > now() && hit.fetchedAt <= now() ? hit.body : undefined;
    },
    store(key, body, ttlMs) {
      if (!readOnly && ttlMs > 0) cache.put(key, body, now(), ttlMs);
    },
  };
}

/** Answers nothing and keeps nothing (one-off calls, tests of the clients alone). */
export const noCache: AnswerCache = { fresh: () => undefined, store: () => undefined };
