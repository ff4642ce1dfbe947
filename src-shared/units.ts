// The one parser of human resource strings, shared by the core (validation at the boundary)
// and the renderer (form validation). Units are binary, as the docker CLI reads them: 1g = 1 GiB.

export class UnitError extends Error {}

const BYTE_UNITS: Record<string, number> = {
  '': 1, b: 1,
  k: 1024, kb: 1024, ki: 1024, kib: 1024,
  m: 1024 ** 2, mb: 1024 ** 2, mi: 1024 ** 2, mib: 1024 ** 2,
  g: 1024 ** 3, gb: 1024 ** 3, gi: 1024 ** 3, gib: 1024 ** 3,
  t: 1024 ** 4, tb: 1024 ** 4, ti: 1024 ** 4, tib: 1024 ** 4,
};
const NUMBER_WITH_UNIT = /^(\d+(?:\.\d+)?|\.\d+)\s*([a-z]*)$/i;

/** "512m", "1g", "1.5GiB", "2048Mi", "1073741824" → bytes (an integer). */
export function parseBytes(text: string): number {
  const m = NUMBER_WITH_UNIT.exec(text.trim());
  const unit = m ? BYTE_UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) {
    throw new UnitError(
      `"${text}" is not a size: use a number with an optional unit, such as 512m, 1g, 1.5GiB or 2048Mi (units are binary: 1g = 1 GiB)`,
    );
  }
  const bytes = Math.round(Number(m[1]) * unit);
  if (bytes <= 0) throw new UnitError(`"${text}" is not a size: it must be more than zero`);
  if (!Number.isSafeInteger(bytes)) throw new UnitError(`"${text}" is too large`);
  return bytes;
}

/** "2", "0.5", "500m" (millicores) → CPUs as a number. */
export function parseCpus(text: string): number {
  const m = /^(\d+(?:\.\d+)?|\.\d+)(m?)$/.exec(text.trim());
  if (!m) {
    throw new UnitError(`"${text}" is not a CPU amount: use a number of CPUs such as 2 or 0.5, or millicores such as 500m`);
  }
  const cpus = m[2] === 'm' ? Number(m[1]) / 1000 : Number(m[1]);
  if (cpus <= 0) throw new UnitError(`"${text}" is not a CPU amount: it must be more than zero`);
  if (cpus > 4096) throw new UnitError(`"${text}" is more CPUs than any machine has`);
  return cpus;
}

/** CPUs → Docker's HostConfig.NanoCpus. */
export const cpusToNano = (cpus: number): number => Math.round(cpus * 1e9);

const IEC = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
export function formatBytes(bytes: number | null | undefined, digits = 1): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—';
  let v = Math.abs(bytes);
  let i = 0;
  while (v >= 1024 && i < IEC.length - 1) {
    v /= 1024;
    i++;
  }
  return `${bytes < 0 ? '-' : ''}${i === 0 ? v : v.toFixed(digits)} ${IEC[i]}`;
}

export const formatPercent = (p: number | null | undefined, digits = 1): string =>
  p === null || p === undefined || !Number.isFinite(p) ? '—' : `${p.toFixed(digits)} %`;

/** One ulimit as the docker CLI reads `--ulimit`: "memlock=-1", "stack=67108864", "nofile=1024:2048". */
export interface Ulimit {
  Name: string;
  Soft: number;
  Hard: number;
}
const ULIMIT_NAMES = new Set(['core', 'cpu', 'data', 'fsize', 'locks', 'memlock', 'msgqueue', 'nice', 'nofile', 'nproc', 'rss', 'rtprio', 'rttime', 'sigpending', 'stack']);
export function parseUlimit(text: string): Ulimit {
  const m = /^([a-z]+)=(-1|\d+)(?::(-1|\d+))?$/.exec(text.trim());
  if (!m || !ULIMIT_NAMES.has(m[1]!)) {
    throw new UnitError(
      `"${text}" is not a ulimit: use name=soft[:hard] with a name among ${[...ULIMIT_NAMES].join(', ')} and numbers or -1 (unlimited), such as memlock=-1 or stack=67108864`,
    );
  }
  const soft = Number(m[2]);
  // As go-units ParseUlimit: without a hard value, hard = soft.
  const hard = m[3] === undefined ? soft : Number(m[3]);
  if (hard !== -1 && (soft === -1 || soft > hard)) throw new UnitError(`"${text}": the soft limit must not exceed the hard limit`);
  return { Name: m[1]!, Soft: soft, Hard: hard };
}
