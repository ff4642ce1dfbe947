// `-v` / `--volume` values, read by Docker's own grammar: the CLI splits them into sections
// (docker/cli cli/compose/loader/volume.go, ParseVolume, which knows Windows drive letters) and the
// engine checks the options (moby volume/mounts linux_parser.go, linuxValidMountMode and
// validateMountConfigImpl). Containers here are Linux containers; hosts may be Linux or Windows.
import { UnitError } from './units';

export const PROPAGATIONS = ['private', 'rprivate', 'slave', 'rslave', 'shared', 'rshared'] as const;
export type Propagation = (typeof PROPAGATIONS)[number];

export interface VolumeMount {
  /** bind: a host folder; volume: a named volume, or an anonymous one when source is "". */
  type: 'bind' | 'volume';
  /** The host path (Linux /… or Windows C:\… / c:/…) or the volume name, as written; "" for an anonymous volume. */
  source: string;
  /** Absolute path inside the (Linux) container. */
  target: string;
  readOnly: boolean;
  /** The comma-separated options after the second colon, as written ("" when none): Docker's MountPoint.Mode. */
  mode: string;
  /** SELinux relabeling of the source: z = shared with other containers, Z = private to this one. */
  relabel?: 'z' | 'Z';
  /** Bind propagation (bind mounts only; the engine's default is rprivate). */
  propagation?: Propagation;
  /** ro-non-recursive: submounts stay writable. Bind mounts only. */
  readOnlyNonRecursive?: true;
  /** ro-force-recursive (alias rro): fail unless submounts can be made read-only too. Bind mounts only. */
  readOnlyForceRecursive?: true;
  /** Accepted for Docker Desktop on macOS; no effect on Linux. */
  consistency?: 'consistent' | 'cached' | 'delegated';
  /** nocopy: do not copy the image's files at the target into a new volume. Named volumes only. */
  noCopy?: true;
}

export const MAX_VOLUME_SPEC = 4096;

// The option kinds of moby's linuxValidMountMode; each kind may appear once.
const KINDS: Record<string, 'access' | 'relabel' | 'propagation' | 'copy' | 'consistency'> = {
  rw: 'access',
  ro: 'access',
  'ro-non-recursive': 'access',
  'ro-force-recursive': 'access',
  rro: 'access',
  z: 'relabel',
  Z: 'relabel',
  ...Object.fromEntries(PROPAGATIONS.map((p) => [p, 'propagation' as const])),
  nocopy: 'copy',
  consistent: 'consistency',
  cached: 'consistency',
  delegated: 'consistency',
};
const KIND_WORDS = { access: 'ro/rw', relabel: 'z/Z', propagation: 'propagation mode', copy: 'nocopy', consistency: 'consistency mode' };

const kindOf = (o: string) => (Object.hasOwn(KINDS, o) ? KINDS[o] : undefined);
const WINDOWS_ABS = /^[A-Za-z]:[\\/]/;
const VOLUME_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;
const ACCEPTED =
  'use /host/folder:/container/folder (or C:\\host\\folder:/container/folder), volume-name:/container/folder, or /container/folder alone for an anonymous volume, each optionally followed by :options such as ro, rw, z, Z, rshared or nocopy';

/**
 * Splits at colons as the docker CLI does: a colon right after a lone letter at the start of a section
 * belongs to a Windows drive letter (`C:\…`, `c:/…`). Empty sections and more than three are refused.
 */
function sections(spec: string, fail: (why: string) => never): string[] {
  const out: string[] = [];
  let buf = '';
  for (const ch of spec) {
    if (ch === ':' && !(buf.length === 1 && /[A-Za-z]/.test(buf))) {
      if (buf === '') fail('a section between colons is empty');
      out.push(buf);
      buf = '';
    } else buf += ch;
  }
  if (buf === '') fail('a section between colons is empty');
  out.push(buf);
  if (out.length > 3) fail('it has too many colons (source:target:options at most)');
  return out;
}

const hasDotDot = (p: string) => p.split(/[\\/]/).includes('..');

/**
 * A `-v` value → the mount it asks for.
 * - Sources: an absolute Linux path or Windows path with a drive letter (bind mount), without `..`;
 *   a volume name (2+ letters, digits, _ . -); or none (anonymous volume). Relative and ~ paths are
 *   refused (the CLI would resolve them against its own working folder, which the app does not have).
 * - Target: an absolute Linux path, without `..`, not `/`.
 * - Options (comma-separated, case-sensitive, each kind once): ro | rw | ro-non-recursive |
 *   ro-force-recursive | rro; z | Z; private | rprivate | slave | rslave | shared | rshared (binds only);
 *   nocopy (named volumes only); consistent | cached | delegated. An anonymous volume takes none.
 * @throws UnitError naming the value, the rule it breaks and what is accepted.
 */
export function parseVolume(text: string): VolumeMount {
  const spec = text.trim();
  const fail = (why: string): never => {
    throw new UnitError(`"${text.length > 200 ? `${text.slice(0, 200)}…` : text}" is not a volume: ${why}; ${ACCEPTED}`);
  };
  if (spec === '') fail('it is empty');
  if (spec.length > MAX_VOLUME_SPEC) fail(`it is longer than ${MAX_VOLUME_SPEC} characters`);
  const parts = sections(spec, fail);
  if (parts.length === 2 && parts[1]!.split(',').every((o) => kindOf(o) !== undefined)) {
    fail(`an anonymous volume takes no options; to set ${parts[1]} give a source too, as in name:${parts[0]}:${parts[1]}`);
  }
  if (parts.length === 1 && /^[A-Za-z]:/.test(spec)) {
    fail(`${spec} reads as a Windows host path with no container path after it: add one, as in ${spec}:/data (a volume name has 2 or more characters)`);
  }
  const [source, target, mode]: [string, string, string] = parts.length === 1 ? ['', parts[0]!, ''] : [parts[0]!, parts[1]!, parts[2] ?? ''];

  let type: VolumeMount['type'] = 'volume'; // named, or anonymous when source is ""
  if (source === '') {
    // anonymous: the target alone
  } else if (source.startsWith('/')) {
    if (hasDotDot(source)) fail(`the host path ${source} must not contain ..`);
    type = 'bind';
  } else if (WINDOWS_ABS.test(source)) {
    if (hasDotDot(source)) fail(`the host path ${source} must not contain ..`);
    if (/[*?"<>|\r\n]/.test(source)) fail(`the Windows path ${source} has a character Windows does not allow in paths (* ? " < > |)`);
    type = 'bind';
  } else if (!VOLUME_NAME.test(source)) {
    fail(`${source} is neither an absolute host path (/… or C:\\…) nor a volume name (2 or more letters, digits, _ . or -)`);
  }

  if (!target.startsWith('/')) fail(`the container path ${target} must be an absolute Linux path such as /workspace`);
  if (hasDotDot(target)) fail(`the container path ${target} must not contain ..`);
  if (target.split('/').every((s) => s === '' || s === '.')) fail('the container path must not be / itself');

  const m: VolumeMount = { type, source, target, readOnly: false, mode };
  if (mode !== '') {
    const seen = new Set<string>();
    for (const o of mode.split(',')) {
      const kind = kindOf(o);
      if (!kind) fail(`${JSON.stringify(o)} is not a volume option (ro, rw, ro-non-recursive, ro-force-recursive, rro, z, Z, ${PROPAGATIONS.join(', ')}, nocopy, consistent, cached, delegated)`);
      if (seen.has(kind!)) fail(`the options give more than one ${KIND_WORDS[kind!]}`);
      seen.add(kind!);
      if (kind === 'access') {
        m.readOnly = o !== 'rw';
        if (o === 'ro-non-recursive') m.readOnlyNonRecursive = true;
        if (o === 'ro-force-recursive' || o === 'rro') m.readOnlyForceRecursive = true;
        if (o !== 'rw' && o !== 'ro' && type !== 'bind') fail(`${o} applies to bind mounts only`);
      } else if (kind === 'relabel') m.relabel = o as 'z' | 'Z';
      else if (kind === 'propagation') {
        if (type !== 'bind') fail(`propagation (${o}) applies to bind mounts only`);
        m.propagation = o as Propagation;
      } else if (kind === 'copy') {
        if (type !== 'volume') fail('nocopy applies to named volumes only (a bind mount never copies)');
        m.noCopy = true;
      } else m.consistency = o as NonNullable<VolumeMount['consistency']>;
    }
  }
  return m;
}

/** The HostConfig.Binds entry the docker CLI sends for this mount: the value as written, options kept. */
export const bindSpec = (v: VolumeMount): string => `${v.source}:${v.target}${v.mode ? `:${v.mode}` : ''}`;
