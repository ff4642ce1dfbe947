// One /events message of any Docker-compatible engine → Docker's own vocabulary, before anything
// reacts to it. Docker's message is moby api/types/events Message { Type, Action, Actor { ID,
// Attributes }, time, timeNano } (plus the deprecated status / id / from). Podman's compat endpoint
// (pkg/api/handlers/compat/events.go, pkg/domain/entities ConvertToEntitiesEvent) sends the same
// message with libpod's status words (libpod/events/config.go) as Action, which differ where libpod's
// do:
//   container health_status  the value in a top-level `HealthStatus`  → Docker's "health_status: <value>"
//   container died           exit code in Attributes.containerExitCode → "die" with Attributes.exitCode
//                            (Podman ≥ 4.x translates this itself; older ones do not)
//   container remove         → "destroy"
//   container exec           → "exec_start";  exec_died → "exec_die"
//   image remove             → "delete" (as Podman's compat handler itself does);  loadfromarchive → "load"
// Podman's bookkeeping steps that Docker never reports (container init, cleanup, mount, unmount, sync,
// refresh, renumber; image mount, unmount, build, pull-error) have no Docker meaning and are dropped.
// Docker's own messages pass unchanged: none of the words above is Docker's for that type.

/** Docker's /events message, as the rest of the app reads it. `timeNano` is nanoseconds since the epoch. */
export interface DockerEvent {
  Type: string;
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
  time: number;
  timeNano: number;
}

type Rename = Record<string, string | null>;

/** Podman's word → Docker's (null: nothing Docker would report). Keyed by event Type. */
const PODMAN_TO_DOCKER: Record<string, Rename> = {
  container: {
    died: 'die',
    remove: 'destroy',
    exec: 'exec_start',
    exec_died: 'exec_die',
    init: null,
    cleanup: null,
    mount: null,
    unmount: null,
    sync: null,
    refresh: null,
    renumber: null,
  },
  image: {
    remove: 'delete',
    loadfromarchive: 'load',
    mount: null,
    unmount: null,
    build: null,
    'pull-error': null,
  },
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/**
 * Reads one parsed /events message of Docker or a Docker-compatible engine (Podman) into Docker's
 * vocabulary. Returns null for anything that is not an event message (not an object, no type or
 * action, no time) and for engine steps Docker never reports. Pure; never throws. Attribute values
 * that are not strings are dropped (Docker's are all strings).
 */
export function toDockerEvent(raw: unknown): DockerEvent | null {
  if (!isObject(raw)) return null;
  // API < 1.22 (and the deprecated fields kept since) carried only status / id / from, for containers.
  const type = str(raw.Type) ?? (str(raw.status) ? 'container' : undefined);
  const said = str(raw.Action) ?? str(raw.status);
  const timeNano = num(raw.timeNano) ?? (num(raw.time) !== undefined ? num(raw.time)! * 1e9 : undefined);
  if (!type || !said || timeNano === undefined) return null;
  const actor = isObject(raw.Actor) ? raw.Actor : {};
  const attributes: Record<string, string> = {};
  if (isObject(actor.Attributes)) for (const [k, v] of Object.entries(actor.Attributes)) if (typeof v === 'string') attributes[k] = v;

  let action: string | null = said;
  const renamed = PODMAN_TO_DOCKER[type]?.[said];
  if (renamed !== undefined) action = renamed;
  if (action === null) return null;
  if (type === 'container' && action === 'die' && attributes.exitCode === undefined && attributes.containerExitCode !== undefined) {
    attributes.exitCode = attributes.containerExitCode;
  }
  if (type === 'container' && action === 'health_status') {
    // Docker says "health_status: healthy"; Podman says "health_status" and puts the value beside it.
    const status = str(raw.HealthStatus) ?? str(raw.health_status);
    if (status) action = `health_status: ${status}`;
  }
  return {
    Type: type,
    Action: action,
    Actor: { ID: str(actor.ID) ?? str(raw.id) ?? '', Attributes: attributes },
    time: num(raw.time) ?? Math.floor(timeNano / 1e9),
    timeNano,
  };
}

/** One line of the /events stream (JSON) → Docker's event, or null when it is not one. Never throws. */
export function parseEventLine(line: string): DockerEvent | null {
  try {
    return toDockerEvent(JSON.parse(line));
  } catch {
    return null;
  }
}
