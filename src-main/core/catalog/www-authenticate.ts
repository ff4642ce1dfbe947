// The WWW-Authenticate header (RFC 9110 §11.6.1): challenges of the form
// `<scheme> <name>=<token or "quoted-string">, …`, several challenges separated by commas. Registries
// send `Bearer realm="…",service="…",scope="…"` (the distribution token authentication spec) or `Basic realm="…"`.

export interface Challenge {
  /** Lower-cased: bearer, basic. */
  scheme: string;
  /** Parameter names lower-cased; quoted values unescaped. */
  params: Record<string, string>;
}

const TCHAR = /[!#$%&'*+.^_`|~0-9A-Za-z-]/;

/** Every challenge in a header value, in order; [] for an empty one. Stops at the first unreadable character. */
export function parseWwwAuthenticate(header: string | null): Challenge[] {
  const out: Challenge[] = [];
  if (!header) return out;
  const n = header.length;
  let i = 0;
  let current: Challenge | undefined;
  const skipSpace = () => {
    while (i < n && (header[i] === ' ' || header[i] === '\t')) i++;
  };
  while (i < n) {
    skipSpace();
    if (header[i] === ',') {
      i++;
      continue;
    }
    const start = i;
    while (i < n && TCHAR.test(header[i]!)) i++;
    if (i === start) break;
    const token = header.slice(start, i);
    skipSpace();
    if (header[i] !== '=' || !current) {
      // A token not followed by "=" starts a new challenge (its scheme).
      current = { scheme: token.toLowerCase(), params: {} };
      out.push(current);
      continue;
    }
    i++; // "="
    skipSpace();
    let value = '';
    if (header[i] === '"') {
      i++;
      while (i < n && header[i] !== '"') {
        if (header[i] === '\\' && i + 1 < n) i++;
        value += header[i];
        i++;
      }
      i++; // closing quote
    } else {
      const v = i;
      while (i < n && header[i] !== ',' && header[i] !== ' ' && header[i] !== '\t') i++;
      value = header.slice(v, i);
    }
    current.params[token.toLowerCase()] = value;
  }
  return out;
}
