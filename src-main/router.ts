// The one dispatcher both transports hand every request to: validate with the contract's zod
// schema, call the handler, return an envelope. Never throws.
import type { z } from 'zod';
import { AppError, isAppError, type Envelope, type ErrorBody } from '@shared/errors';
import { isRequestName, requests, type ParsedInput, type RequestName, type RequestOutput } from '@shared/contract';
import { NO_CONNECTION, type CallContext } from './connection';


export type Handlers = {
  [N in RequestName]: (input: ParsedInput<N>, ctx: CallContext) => Promise<RequestOutput<N>> | RequestOutput<N>;
};

export interface RouterOptions {
  /**
   * Told of every failed request, to journal it; returns the journal event's id (the `events` row,
   * or the row an identical failure was folded into), which an INTERNAL error's answer names.
   * Never allowed to break the reply: a throw counts as "not journaled".
   */
  onFailure?: (name: string, error: AppError, cause?: unknown) => number | void;
}

/**
 * What a caller sees of an INTERNAL error: one generic sentence with the journal event's id, the
 * id also as `details.eventId`. The message itself (which may hold paths, SQL or a library's
 * words) stays in the journal and the log. Without an id (journaling failed) it points at the log.
 */
export function internalErrorBody(eventId: number | undefined): ErrorBody {
  return eventId === undefined
    ? { code: 'INTERNAL', message: 'Something went wrong inside MLEnv (not journaled: the details are in its log)' }
    : { code: 'INTERNAL', message: `Something went wrong inside MLEnv (journal event ${eventId})`, details: { eventId } };
}

/** "thresholds.cpuWarnPercent: Too big: expected number to be <=100" — one line per zod issue. */
function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
}

export function createRouter(handlers: Handlers, opts: RouterOptions = {}) {
  function fail(name: string, error: AppError, cause?: unknown): Envelope<never> {
    let eventId: number | undefined;
    try {
      const id = opts.onFailure?.(name, error, cause);
      if (typeof id === 'number') eventId = id;
    } catch {
      // logging must never turn a typed error into a crash
    }
    return { ok: false, error: error.code === 'INTERNAL' ? internalErrorBody(eventId) : error.toBody() };
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
