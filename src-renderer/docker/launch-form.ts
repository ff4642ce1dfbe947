// The launch form's strings → the launch request, validated by the same schema the core uses.
import { launchSchema, type LaunchInput } from '@shared/contract';
import { dangerousMounts, type DangerousMount } from '@shared/dangerous-mounts';
import { splitCommand } from '@shared/command';
import { shellLine } from '@shared/docker-run-line';
import { parseVolume, type VolumeMount } from '@shared/volumes';
import { errorText } from './format';

/** The form's two consents, each off until the user ticks it. */
export interface Consents {
  /** "Reachable from the network": publish ports on every host address instead of 127.0.0.1. */
  exposePorts: boolean;
  /**
   * The dangerous mounts the user confirmed, as dangerousKey gives them: a consent holds only for the
   * exact mounts it was given for, so changing them asks again.
   */
  allowedMounts: string | null;
}
export const NO_CONSENTS: Consents = { exposePorts: false, allowedMounts: null };

/** One string naming a set of dangerous mounts (what a consent was given for). */
export const dangerousKey = (d: DangerousMount[]): string => d.map((m) => m.mount).join('\n');

export const FIELDS = ['image', 'name', 'project', 'cpus', 'memory', 'shmSize', 'gpus', 'ports', 'env', 'volumes', 'command', 'restart', 'ipc', 'ulimits', 'runtime'] as const;
export type Field = (typeof FIELDS)[number];
export type Form = Record<Field, string>;
export const EMPTY: Form = { image: '', name: '', project: 'default', cpus: '', memory: '', shmSize: '', gpus: '', ports: '', env: '', volumes: '', command: '', restart: 'no', ipc: '', ulimits: '', runtime: '' };
// One entry a line. Ports and ulimits never hold a comma, so commas separate them too; a volume's
// options are comma-separated (/data:/data:ro,z) and an env value may hold commas: one a line only.
const lines = (s: string) => s.split('\n').map((x) => x.trim()).filter(Boolean);
const list = (s: string) => s.split(/[\n,]/).map((x) => x.trim()).filter(Boolean);

/**
 * Form strings and consents → the launch request, per-field messages from the same parsers the core
 * uses, and the dangerous bind mounts among the volumes (each needs the user's confirmation, given as
 * consents.allowedMounts for exactly these mounts).
 */
export function toLaunch(f: Form, consents: Consents = NO_CONSENTS): { input: LaunchInput; errors: Partial<Record<Field, string>>; dangerous: DangerousMount[] } {
  const errors: Partial<Record<Field, string>> = {};
  const mounts = lines(f.volumes).flatMap((v): VolumeMount[] => {
    try {
      return [parseVolume(v)];
    } catch {
      return []; // its message comes from the schema below
    }
  });
  const dangerous = dangerousMounts(mounts);
  const allowDangerous = dangerous.length > 0 && consents.allowedMounts === dangerousKey(dangerous);
  let command: string[] | undefined;
  try {
    command = f.command.trim() ? splitCommand(f.command) : undefined;
  } catch (e) {
    errors.command = errorText(e);
  }
  const opt = (v: string) => (v.trim() ? v.trim() : undefined);
  const input: LaunchInput = {
    image: f.image.trim(),
    ...(opt(f.name) ? { name: opt(f.name) } : {}),
    project: f.project.trim() || 'default',
    ...(opt(f.cpus) ? { cpus: opt(f.cpus) } : {}),
    ...(opt(f.memory) ? { memory: opt(f.memory) } : {}),
    ...(opt(f.shmSize) ? { shmSize: opt(f.shmSize) } : {}),
    ...(opt(f.gpus) ? { gpus: opt(f.gpus) } : {}),
    ...(list(f.ports).length ? { ports: list(f.ports) } : {}),
    ...(lines(f.env).length ? { env: lines(f.env) } : {}),
    ...(lines(f.volumes).length ? { volumes: lines(f.volumes) } : {}),
    ...(command?.length ? { command } : {}),
    ...(f.restart !== 'no' ? { restart: f.restart as LaunchInput['restart'] } : {}),
    ...(f.ipc ? { ipc: f.ipc as LaunchInput['ipc'] } : {}),
    ...(list(f.ulimits).length ? { ulimits: list(f.ulimits) } : {}),
    ...(opt(f.runtime) ? { runtime: opt(f.runtime) } : {}),
    init: true,
    ...(consents.exposePorts ? { exposePorts: true } : {}),
    ...(allowDangerous ? { allowDangerousMounts: true } : {}),
  };
  const r = launchSchema.safeParse(input);
  if (!r.success) {
    for (const i of r.error.issues) {
      const k = String(i.path[0]) as Field;
      if (FIELDS.includes(k) && !errors[k]) errors[k] = i.message;
    }
  }
  return { input, errors, dangerous };
}

/**
 * A launch request as sent (its strings) → the form and its consents: the inverse of toLaunch for the
 * fields the form has (Customise… opens a catalog launch's plan this way). The command's words become
 * one line that splitCommand reads back into the same words. Dangerous mounts are never pre-confirmed.
 */
export function formFromInput(input: LaunchInput): { form: Form; consents: Consents } {
  const form: Form = {
    ...EMPTY,
    image: input.image,
    name: input.name ?? '',
    project: input.project ?? EMPTY.project,
    cpus: input.cpus ?? '',
    memory: input.memory ?? '',
    shmSize: input.shmSize ?? '',
    gpus: input.gpus ?? '',
    ports: (input.ports ?? []).join(', '),
    env: (input.env ?? []).join('\n'),
    volumes: (input.volumes ?? []).join('\n'),
    command: input.command?.length ? shellLine(input.command) : '',
    restart: input.restart ?? EMPTY.restart,
    ipc: input.ipc ?? '',
    ulimits: (input.ulimits ?? []).join(', '),
    runtime: input.runtime ?? '',
  };
  return { form, consents: { ...NO_CONSENTS, exposePorts: input.exposePorts === true } };
}
