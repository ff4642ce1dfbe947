// A launch spec → the `docker run -d …` command line that asks the engine for the same container, to
// show before a launch and copy into a terminal. Flag for flag as the docker CLI reads them (docker
// run reference; docker/cli opts): what the line sends is what src-main/core/docker/create-options.ts
// sends, labels included, so the line is the launch and not an approximation of it.
import { quote } from 'shell-quote';
import type { LaunchSpec } from './contract/containers';
import type { DeviceRequest } from './gpus';
import { LABEL_MANAGED, LABEL_PROBE, LABEL_PROJECT, LOOPBACK, probeLabel } from './labels';
import { isSecretEnvName } from './secret-env';
import type { PortMapping } from './launch';
import { bindSpec, type VolumeMount } from './volumes';

export interface DockerRunOptions {
  /**
   * How an env entry whose name looks secret (isSecretEnvName: NGC_API_KEY, HF_TOKEN…) is written.
   * `inline` (default): `-e NAME=value`, the exact line. `from-environment`: `-e NAME`, which docker
   * fills from the environment of the shell that runs it, so the value stays out of the line, the
   * screen and the shell's history (the docker run reference's advice for secrets).
   */
  secretEnv?: 'inline' | 'from-environment';
}

// Characters no POSIX shell treats specially in an argument word (the command name is `docker`, so
// `=` cannot make a word an assignment). Words of these alone stay as written; any other goes through
// shell-quote's quote, so `--ulimit stack=67108864` reads as people write it.
const PLAIN_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Words → one line for a POSIX shell (sh, bash, zsh); not for cmd.exe or PowerShell. */
export const shellLine = (words: string[]): string => words.map((w) => (PLAIN_WORD.test(w) ? w : quote([w]))).join(' ');

/** One CSV field as Go's encoding/csv writes it (fieldNeedsQuotes): in double quotes, a " doubled, when it holds a comma, a quote or a line end or starts with a space. */
const csvField = (f: string): string => (/[",\r\n]|^\s/.test(f) ? `"${f.replaceAll('"', '""')}"` : f);

/**
 * A DeviceRequest → the `--gpus` value the CLI reads back into it (the grammar of parseGpus, docker/cli
 * opts/gpus.go): `all`, a count, or `"device=0,1"` with the CSV quotes the CLI needs, then driver=,
 * capabilities= (without the "gpu" the CLI appends) and options= where they differ from the default.
 */
export function gpusValue(g: DeviceRequest): string {
  const fields: string[] = [];
  if (g.DeviceIDs !== null) fields.push(`device=${g.DeviceIDs.join(',')}`);
  else fields.push(g.Count === -1 ? 'all' : String(g.Count));
  if (g.Driver) fields.push(`driver=${g.Driver}`);
  const caps = [...(g.Capabilities[0] ?? [])];
  if (caps.at(-1) === 'gpu') caps.pop();
  if (caps.length) fields.push(`capabilities=${caps.join(',')}`);
  const options = Object.entries(g.Options);
  if (options.length) fields.push(`options=${options.map(([k, v]) => csvField(`${k}=${v}`)).join(',')}`);
  return fields.map(csvField).join(',');
}

/** "512m" style where the bytes are a whole number of a binary unit (as the CLI reads --memory), else the bytes. */
export function bytesValue(bytes: number): string {
  for (const [unit, size] of [['g', 1024 ** 3], ['m', 1024 ** 2], ['k', 1024]] as const) if (bytes % size === 0) return `${bytes / size}${unit}`;
  return String(bytes);
}

/** A port mapping as `-p` takes it, with the address the launch binds (127.0.0.1 unless exposePorts or one is written). */
export function portValue(p: PortMapping, exposePorts: boolean): string {
  const hostIp = p.hostIp ?? (exposePorts ? undefined : LOOPBACK);
  const hostPort = p.hostPort ? String(p.hostPort) : '';
  // "ip::80" asks for any free port on that address; "80" alone, any free port on every address.
  const host = hostIp !== undefined ? `${hostIp}:${hostPort}:` : hostPort ? `${hostPort}:` : '';
  return `${host}${p.containerPort}${p.protocol === 'udp' ? '/udp' : ''}`;
}

/** A mount as `-v` takes it: the source:target:options as written, or the target alone for an anonymous volume. */
const volumeValue = (v: VolumeMount): string => (v.source === '' ? v.target : bindSpec(v));

/** The labels the launch writes: the spec's, then MLEnv's own (which win, as in buildCreateOptions). */
export function launchLabels(spec: LaunchSpec): Record<string, string> {
  return {
    ...spec.labels,
    [LABEL_MANAGED]: 'true',
    [LABEL_PROJECT]: spec.project,
    ...(spec.probe ? { [LABEL_PROBE]: probeLabel(spec.probe) } : {}),
  };
}

/**
 * The words of the docker command that creates (and, unless `start` is false, starts) the container
 * `spec` describes: `docker run -d …` (`docker create …` when not started), then the image and the
 * command. `pull` other than "missing" is `--pull`; `exposePorts` and the addresses show in each `-p`;
 * the engine is not part of the line (it runs against the shell's DOCKER_HOST or context).
 *
 * Where the CLI has no flag for the spec's exact form, the line asks for the same process: an
 * entrypoint of several words is `--entrypoint FIRST` with the other words before the command (the
 * engine runs Entrypoint + Cmd, and a given entrypoint drops the image's Cmd either way). One case
 * it cannot say: an empty entrypoint (`[]`) keeps the image's Cmd, while `--entrypoint ''` drops it.
 */
export function dockerRunArgs(spec: LaunchSpec, opts: DockerRunOptions = {}): string[] {
  const a: string[] = spec.start ? ['docker', 'run', '-d'] : ['docker', 'create'];
  if (spec.name) a.push('--name', spec.name);
  if (spec.pull !== 'missing') a.push('--pull', spec.pull);
  if (spec.interactive) a.push('-it');
  if (spec.init) a.push('--init');
  if (spec.gpus) a.push('--gpus', gpusValue(spec.gpus));
  if (spec.runtime) a.push('--runtime', spec.runtime);
  if (spec.ipc) a.push('--ipc', spec.ipc);
  for (const u of spec.ulimits ?? []) a.push('--ulimit', `${u.Name}=${u.Soft === u.Hard ? u.Soft : `${u.Soft}:${u.Hard}`}`);
  if (spec.shmSize !== undefined) a.push('--shm-size', bytesValue(spec.shmSize));
  if (spec.memory !== undefined) a.push('--memory', bytesValue(spec.memory));
  if (spec.cpus !== undefined) a.push('--cpus', String(spec.cpus));
  if (spec.cpuset) a.push('--cpuset-cpus', spec.cpuset);
  for (const p of spec.ports ?? []) a.push('-p', portValue(p, spec.exposePorts));
  for (const v of spec.volumes ?? []) a.push('-v', volumeValue(v));
  for (const e of spec.env ?? []) a.push('-e', opts.secretEnv === 'from-environment' && isSecretEnvName(e.key) ? e.key : `${e.key}=${e.value}`);
  if (spec.restart) a.push('--restart', spec.restart);
  for (const [k, v] of Object.entries(launchLabels(spec))) a.push('--label', `${k}=${v}`);
  const [first, ...rest] = spec.entrypoint ?? [];
  if (spec.entrypoint) a.push('--entrypoint', first ?? '');
  a.push(spec.image, ...rest, ...(spec.command ?? []));
  return a;
}

/** dockerRunArgs as one line for a POSIX shell, each word quoted only where a shell would read it otherwise. */
export const dockerRunLine = (spec: LaunchSpec, opts: DockerRunOptions = {}): string => shellLine(dockerRunArgs(spec, opts));
