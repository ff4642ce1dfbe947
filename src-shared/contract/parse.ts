import { z } from 'zod';

/** A zod string validated (and transformed) by one of the shared parsers; its message names the value and what is accepted. */
export const via = <T>(parse: (s: string) => T) =>
  z.string().transform((s, ctx): T => {
    try {
      return parse(s);
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: (e as Error).message });
      return z.NEVER;
    }
  });
