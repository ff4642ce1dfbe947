// Customise…: the launch form's request → what a catalog launch overrides in its plan.
import type { LaunchInput, LaunchOverrides } from '@shared/contract';

/** The form's fields a catalog launch can override (the image, name and engine are the launch's own). */
const OVERRIDABLE = ['project', 'cpus', 'memory', 'shmSize', 'gpus', 'ipc', 'ulimits', 'runtime', 'ports', 'env', 'volumes', 'command', 'restart', 'exposePorts', 'allowDangerousMounts'] as const;
type Overridable = (typeof OVERRIDABLE)[number];

/** How an emptied field says "none" to a launch whose default set it; absent: it has no way to (the default would come back). */
const CLEARED: Partial<Record<Overridable, LaunchOverrides[Overridable]>> = {
  project: 'default',
  gpus: 'none',
  ulimits: [],
  ports: [],
  env: [],
  volumes: [],
  command: [],
  restart: 'no',
  exposePorts: false,
  allowDangerousMounts: false,
};

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * The fields the user changed from the plan's launch, as overrides (each replaces the default's whole
 * value; an emptied list is an empty list, emptied GPUs are "none"). Fields left as planned are not
 * overridden, so they keep following the host and settings. `uncleared`: fields the user emptied that
 * a catalog launch cannot leave unset (CPU, memory and shm limits, IPC mode, runtime): the form asks for a value.
 */
export function overridesFrom(plan: LaunchInput, sent: LaunchInput): { overrides: LaunchOverrides; uncleared: Overridable[] } {
  const overrides: Record<string, unknown> = {};
  const uncleared: Overridable[] = [];
  for (const k of OVERRIDABLE) {
    if (same(plan[k], sent[k])) continue;
    if (sent[k] !== undefined) overrides[k] = sent[k];
    else if (k in CLEARED) overrides[k] = CLEARED[k];
    else uncleared.push(k);
  }
  return { overrides: overrides as LaunchOverrides, uncleared };
}
