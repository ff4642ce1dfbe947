// The one dispatcher both transports hand every request to: validate with the contract's zod
// schema, call the handler, return an envelope. Never throws.
import type { z } from 'zod';
import { AppError, isAppError, type Envelope } from '@shared/errors';
import { isRequestName, requests, type ParsedInput, type RequestName, type RequestOutput } from '@shared/contract';

export type Handlers = {
  [N in RequestName]: (input: ParsedInput<N>) => Promise<RequestOutput<N>> | RequestOutput<N>;
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
    async dispatch(name: unknown, input: unknown): Promise<Envelope<unknown>> {
      if (!isRequestName(name)) {
        return fail(String(name), new AppError('INVALID_INPUT', `unknown request "${String(name).slice(0, 80)}"`));
      }
      const parsed = requests[name].input.safeParse(input ?? {});
      if (!parsed.success) {
        return fail(name, new AppError('INVALID_INPUT', `${name}: ${describeIssues(parsed.error)}`, parsed.error.issues));
      }
      try {
        const handler = handlers[name] as (i: unknown) => unknown;
        return { ok: true, value: await handler(parsed.data) };
      } catch (e) {
        if (isAppError(e)) return fail(name, e);
        return fail(name, new AppError('INTERNAL', `${name} failed: ${(e as Error)?.message ?? String(e)}`), e);
      }
    },
  };
}
export type Router = ReturnType<typeof createRouter>;
