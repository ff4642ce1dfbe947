import { create } from 'zustand';
import type { Alert, ContainerHealth } from '@shared/contract';

/** Every managed container's current judgement and the alerts still worth showing, kept by `health.changed` and `alerts.raised`. */
export interface HealthState {
  /** By container id; empty until the first load or event. */
  byId: Record<string, ContainerHealth>;
  /** Newest first: one per container, warning or critical only. */
  alerts: Alert[];
}

export const useHealthStore = create<HealthState>(() => ({ byId: {}, alerts: [] }));

/** `health.list` and each `health.changed` carry every judged container: the new set replaces the old. */
export function applyHealth(state: HealthState, list: ContainerHealth[]): HealthState {
  return { ...state, byId: Object.fromEntries(list.map((h) => [h.id, h])) };
}

/** Only the newest alert per container counts, and only while it is bad (a recovery, level info, clears its container's alert). */
export function keepAlerts(list: Alert[]): Alert[] {
  const newest = new Map<string, Alert>();
  for (const a of list) if (!newest.has(a.containerId) || newest.get(a.containerId)!.ts < a.ts) newest.set(a.containerId, a);
  return [...newest.values()].filter((a) => a.level !== 'info').sort((a, b) => b.ts - a.ts);
}

/** The stored alerts (`alerts.list`) replace what was shown. */
export function loadedAlerts(state: HealthState, list: Alert[]): HealthState {
  return { ...state, alerts: keepAlerts(list) };
}

/** One `alerts.raised` event. */
export function raiseAlert(state: HealthState, a: Alert): HealthState {
  return { ...state, alerts: keepAlerts([a, ...state.alerts]) };
}

/** The alert `id` dismissed by the user. */
export function dismissAlert(state: HealthState, id: number): HealthState {
  return { ...state, alerts: state.alerts.filter((a) => a.id !== id) };
}
