// The one dispatcher both transports hand every request to: validate with the contract's zod
// schema, call the handler, return an envelope. Never throws.
import type { z } from 'zod';
import { AppError, isAppError, type Envelope } from '@shared/errors';
import { isRequestName, requests, type ParsedInput, type RequestName, type RequestOutput } from '@shared/contract';

/** Who is asking: lets a handler tie what it opens (a log follow) to the caller's connection. */
export interface CallContext {
  /** Runs fn when the caller goes away (socket closed, window reloaded); at once if already gone. */
  onDisconnect(fn: () => void): void;
}

/** For callers without a connection (CLI, tray, plain HTTP): nothing to clean up after. */
export const NO_CONNECTION: CallContext = { onDisconnect: () => undefined };

/** A connection's context: `close()` runs everything tied to it, once. */
export function connectionContext(): CallContext & { close(): void } {
  let cleanups: (() => void)[] | undefined = [];
  return {
    onDisconnect(fn) {
      if (cleanups) cleanups.push(fn);
      else fn();
    },
    close() {
      const fns = cleanups ?? [];
      cleanups = undefined;
      for (const fn of fns) fn();
    },
  };
}

export type Handlers = {
  [N in RequestName]: (input: ParsedInput<N>, ctx: CallContext) => Promise<RequestOutput<N>> | RequestOutput<N>;
};

export interface RouterOptions {
  /** Told of every failed request (to log it as an event); never allowed to break the reply. */
  onFailure?: (name: string, error: AppError, cause?: unknown) => void;
}

/** "thresholds.cpuWarnPercent: Too big: expected number to be <=100" — one line per zod issue. */
function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
}

export function createRouter(handlers: Handlers, opts: RouterOptions = {}) {
  function fail(name: string, error: AppError, cause?: unknown): Envelope<never> {
    try {
      opts.onFailure?.(name, error, cause);
    } catch {
      // logging must never turn a typed error into a crash
    }
    return { ok: false, error: error.toBody() };
  }

  return {
    async dispatch(name: unknown, input: unknown, ctx: CallContext = NO_CONNECTION): Promise<Envelope<unknown>> {
      if (!isRequestName(name)) {
        return fail(String(name), new AppError('INVALID_INPUT', `unknown request "${String(name).slice(0, 80)}"`));
      }
      const parsed = requests[name].input.safeParse(input ?? {});
      if (!parsed.success) {
        return fail(name, new AppError('INVALID_INPUT', `${name}: ${describeIssues(parsed.error)}`, parsed.error.issues));
      }
      try {
        const handler = handlers[name] as (i: unknown, c: CallContext) => unknown;
        return { ok: true, value: await handler(parsed.data, ctx) };
      } catch (e) {
        if (isAppError(e)) return fail(name, e);
        return fail(name, new AppError('INTERNAL', `${name} failed: ${(e as Error)?.message ?? String(e)}`), e);
      }
    },
  };
}
export type Router = ReturnType<typeof createRouter>;
