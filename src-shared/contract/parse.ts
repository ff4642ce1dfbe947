import { z } from 'zod';

/**
 * A zod string validated (and transformed) by one of the shared parsers; its message names the value
 * and what is accepted. At most `maxLength` characters (default 1024): longer input is refused before
 * the parser sees it.
 */
export const via = <T>(parse: (s: string) => T, maxLength = 1024) =>
  z.string().max(maxLength).transform((s, ctx): T => {
    try {
      return parse(s);
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: (e as Error).message });
      return z.NEVER;
    }
  });
