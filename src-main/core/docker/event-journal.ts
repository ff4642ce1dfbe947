// Docker events about the containers MLEnv manages → the journal's `docker.<action>` rows. Events
// arrive here already in Docker's vocabulary (event-vocabulary.ts), whatever the engine.
import { onEngine, type EventRecord } from '../store/events';
import { LABEL_MANAGED } from '@shared/labels';
import type { DockerEvent } from './event-vocabulary';

/** Routine container actions nobody needs in the journal (Docker's exec_create/exec_start/exec_die, top, attach, …). */
export const QUIET_ACTIONS = /^(exec_|top|attach|resize|export|commit|copy|archive-path|detach)/;

/** The action without Docker's detail: "health_status: healthy" → "health_status", "exec_start: sh" → "exec_start". */
export const actionOf = (e: DockerEvent): string => e.Action.split(':')[0]!.trim();

/**
 * Journals one container event when it is about a managed container (label io.mlenv.managed=true)
 * and is not routine (QUIET_ACTIONS). The row: type `docker.<action>`, ts from timeNano (ms), actor
 * "docker"; `details.status` carries the detail after "action:" (the health value of health_status),
 * else `details.exitCode` when the engine gave one; a die with a non-zero exit code and an oom are
 * errors; the engine is named by its id (and its name for display). Returns whether a row was written.
 */
export function journalDockerEvent(journal: { record(e: EventRecord): unknown }, engine: { id: string; name: string }, e: DockerEvent): boolean {
  if (e.Type !== 'container' || QUIET_ACTIONS.test(e.Action)) return false;
  const a = e.Actor.Attributes;
  if (a[LABEL_MANAGED] !== 'true') return false;
  const action = actionOf(e);
  const failedExit = action === 'die' && a.exitCode !== undefined && a.exitCode !== '0';
  const detail = e.Action.includes(':') ? e.Action.slice(e.Action.indexOf(':') + 1).trim() : '';
  journal.record({
    ts: Math.round(e.timeNano / 1e6) || e.time * 1000,
    type: `docker.${action}`,
    containerId: e.Actor.ID,
    container: a.name ?? null,
    image: a.image ?? null,
    ...onEngine(engine),
    actor: 'docker',
    outcome: action === 'oom' || failedExit ? 'error' : 'ok',
    error: action === 'oom' ? 'out of memory: the kernel killed a process of this container' : failedExit ? `exited with code ${a.exitCode}` : undefined,
    details: detail ? { status: detail } : a.exitCode !== undefined ? { exitCode: Number(a.exitCode) } : undefined,
  });
  return true;
}
