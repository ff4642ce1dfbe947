import { create } from 'zustand';
import type { ContainerDetail, ContainersChanged, ContainerStats, ContainerSummary, MetricsSnapshot } from '@shared/contract';
import { errorText } from '../docker/format';

/** The engine's container list as the renderer knows it: loaded once, then kept by `containers.changed`. */
export interface ContainersState {
  /** Undefined until the first load answers. */
  list?: ContainerSummary[];
  error?: string;
}

export const useContainersStore = create<ContainersState>(() => ({}));

/** Docker event actions after which the container no longer exists (`remove` is MLEnv's own). */
const GONE = new Set(['destroy', 'remove']);

/**
 * What a `containers.changed` event asks of the store: `drop` the row (the container is gone),
 * `refresh` one known row (inspect it), or `reload` the list (a container the list does not hold
 * yet, or no list yet). The event names the container and the action, not its new state.
 */
export function changeKind(state: ContainersState, change: ContainersChanged): 'drop' | 'refresh' | 'reload' {
  if (GONE.has(change.action)) return 'drop';
  return state.list?.some((c) => c.id === change.id) ? 'refresh' : 'reload';
}

/** The list without the container `id` (unchanged when it was not there). */
export function dropContainer(state: ContainersState, id: string): ContainersState {
  if (!state.list?.some((c) => c.id === id)) return state;
  return { ...state, list: state.list.filter((c) => c.id !== id) };
}

/** Only a summary's fields of an inspected container, so the list holds one shape. */
export function toSummary(d: ContainerSummary | ContainerDetail): ContainerSummary {
  const { id, name, image, state, status, created, managed, project, engine, ports, labels, health } = d;
  return { id, name, image, state, status, created, managed, project, engine, ports, labels, ...(health ? { health } : {}) };
}

/** The list with one container's row replaced by what the engine now says (the row keeps its place; a new one goes first, as the engine lists newest first). */
export function upsertContainer(state: ContainersState, c: ContainerSummary | ContainerDetail): ContainersState {
  const row = toSummary(c);
  const list = state.list ?? [];
  const at = list.findIndex((x) => x.id === row.id);
  return { ...state, list: at === -1 ? [row, ...list] : list.map((x, i) => (i === at ? row : x)) };
}

/** A fresh list from `containers.list`, clearing any earlier load error. */
export function loadedContainers(_state: ContainersState, list: ContainerSummary[]): ContainersState {
  return { list };
}

/** A failed load: the error in words; the last list (if any) stays shown. */
export function failedContainers(state: ContainersState, e: unknown): ContainersState {
  return { ...state, error: errorText(e) };
}

/**
 * Each running managed container's newest stats, by id, from the newest `metrics.snapshot` (its
 * `containers` array); empty before the first snapshot or when the snapshot carries none.
 */
export function statsById(snapshot: MetricsSnapshot | undefined): ReadonlyMap<string, ContainerStats> {
  return new Map((snapshot?.containers ?? []).map((c) => [c.id, c]));
}
