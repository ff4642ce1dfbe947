// One shape for everything that must be let go of: a loop, a subscription, a listener, a window's
// handlers. Whoever creates one disposes it; disposeAll() ends a list of them in reverse order.
import { reportFailure } from './fire-and-forget';

/** Something that holds a resource until dispose(); dispose() may be called more than once. */
export interface Disposable {
  dispose(): void | Promise<void>;
}

/** Wraps a plain function (an `off()` returned by a subscribe, a `removeListener`) as a Disposable. */
export const disposable = (fn: () => void | Promise<void>): Disposable => ({ dispose: fn });

/**
 * Disposes each of `items` in reverse order (the last created goes first), one after the other; a
 * failing dispose is logged (reportFailure) and the rest still run. Never rejects.
 */
export async function disposeAll(items: readonly Disposable[]): Promise<void> {
  for (const item of [...items].reverse()) {
    try {
      await item.dispose();
    } catch (e) {
      reportFailure(e, 'disposing on quit');
    }
  }
}
