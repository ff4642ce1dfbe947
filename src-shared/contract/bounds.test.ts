// Every string and array a caller can send has a maximum: the walk goes through each request
// schema's zod 4 definition (objects, optionals, defaults, pipes, unions, records, …) and names every
// string or array without a max length, and every kind of schema it does not know (so a new kind is
// looked at, not waved through).
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { REQUEST_NAMES, requests } from './index';

interface Def {
  type: string;
  checks?: { _zod: { def: { check: string } } }[];
  [k: string]: unknown;
}
const defOf = (s: unknown): Def => (s as { _zod: { def: Def } })._zod.def;
const bounded = (d: Def) => (d.checks ?? []).some((c) => c._zod.def.check === 'max_length' || c._zod.def.check === 'length_equals');

/** Where `schema` lets an unbounded string or array in, as "path: what". */
export function unboundedParts(schema: unknown, at = '(input)'): string[] {
  const d = defOf(schema);
  const walk = (s: unknown, where: string) => unboundedParts(s, where);
  switch (d.type) {
    case 'string':
      return bounded(d) ? [] : [`${at}: string without a max length`];
    case 'array':
      return [...(bounded(d) ? [] : [`${at}: array without a max length`]), ...walk(d.element, `${at}[]`)];
    case 'object': {
      const shape = d.shape as Record<string, unknown>;
      const fields = Object.entries(shape).flatMap(([k, v]) => walk(v, `${at}.${k}`));
      const rest = d.catchall && defOf(d.catchall).type !== 'never' ? walk(d.catchall, `${at}.*`) : [];
      return [...fields, ...rest];
    }
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return walk(d.innerType, at);
    case 'pipe':
      return [...walk(d.in, at), ...walk(d.out, at)];
    case 'union':
      return (d.options as unknown[]).flatMap((o, i) => walk(o, `${at}|${i}`));
    case 'intersection':
      return [...walk(d.left, at), ...walk(d.right, at)];
    case 'record':
      return [...walk(d.keyType, `${at}{key}`), ...walk(d.valueType, `${at}{value}`)];
    case 'tuple':
      return [...(d.items as unknown[]).flatMap((s, i) => walk(s, `${at}[${i}]`)), ...(d.rest ? walk(d.rest, `${at}[…]`) : [])];
    case 'lazy':
      return walk((d.getter as () => unknown)(), at);
    // Fixed-size values, and a transform's output (its input is checked on the pipe's way in).
    case 'number':
    case 'int':
    case 'boolean':
    case 'enum':
    case 'literal':
    case 'null':
    case 'undefined':
    case 'never':
    case 'transform':
      return [];
    default:
      return [`${at}: a ${d.type} schema the walk does not know`];
  }
}

describe('contract limits', () => {
  it('the walk finds what is unbounded, wherever it hides', () => {
    const leaky = z
      .object({
        a: z.string().min(1),
        b: z.array(z.string().max(5)).optional(),
        c: z.string().regex(/^x+$/).transform((s) => s.length),
        d: z.record(z.string().max(10), z.string()),
        e: z.union([z.number(), z.array(z.number()).max(3), z.object({ f: z.string().startsWith('/') })]),
        g: z.string().max(3).default('x'),
        h: z.any(),
      })
      .strict();
    expect(unboundedParts(leaky)).toEqual([
      '(input).a: string without a max length',
      '(input).b: array without a max length',
      '(input).c: string without a max length',
      '(input).d{value}: string without a max length',
      '(input).e|2.f: string without a max length',
      '(input).h: a any schema the walk does not know',
    ]);
    expect(unboundedParts(z.object({ s: z.string().max(1), l: z.array(z.string().length(2)).max(1) }).strict())).toEqual([]);
  });

  it('every string and array of every request has a maximum', () => {
    expect(REQUEST_NAMES.length).toBeGreaterThan(30);
    const leaks = REQUEST_NAMES.flatMap((name) => unboundedParts(requests[name].input, name));
    expect(leaks).toEqual([]);
  });
});
