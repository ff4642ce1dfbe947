import type { z } from 'zod';

/** One request: its zod input schema (validated at the boundary) and, as a type only, its output. */
export interface RequestDef<I extends z.ZodType = z.ZodType, O = unknown> {
  input: I;
  /** Phantom: never set at run time, carries the output type. */
  readonly output?: O;
}

/** One event: its payload type only (events flow from the trusted core to the renderer). */
export interface EventDef<P = unknown> {
  readonly payload?: P;
}

export const request = <I extends z.ZodType>(input: I) => ({
  returns: <O>(): RequestDef<I, O> => ({ input }),
});

export const event = <P>(): EventDef<P> => ({});
