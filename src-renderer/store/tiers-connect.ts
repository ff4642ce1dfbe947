import { api } from '../api';
import { applyJob, applyStatus, failedTiers, loadedJobs, loadedScaling, useTiersStore } from './tiers';

/** Reads the scaling events again (after a job ended). */
export async function reloadScaling(): Promise<void> {
  try {
    const list = await api.call('tiers.scalingEvents', { limit: 100 });
    useTiersStore.setState((s) => loadedScaling(s, list));
  } catch (e) {
    useTiersStore.setState((s) => failedTiers(s, e));
  }
}

/** Reads placement, jobs and scaling events. */
export async function reloadTiers(): Promise<void> {
  try {
    const [status, jobs] = await Promise.all([api.call('tiers.status', {}), api.call('tiers.jobs', { limit: 100 })]);
    useTiersStore.setState((s) => loadedJobs(applyStatus(s, status), jobs));
  } catch (e) {
    useTiersStore.setState((s) => failedTiers(s, e));
  }
  await reloadScaling();
}

/**
 * Keeps the tiers store while the Tiers page shows: follows `tiers.changed` and `jobs.updated`,
 * loads everything once and again after a reconnect. Returns the way to stop.
 */
export function connectTiers(): () => void {
  const offs = [
    api.on('tiers.changed', (status) => useTiersStore.setState((s) => applyStatus(s, status))),
    api.on('jobs.updated', (job) => {
      const { state, ended } = applyJob(useTiersStore.getState(), job);
      useTiersStore.setState(state, true);
      if (ended) void reloadScaling();
    }),
    api.onReconnect(() => void reloadTiers()),
  ];
  // After the client's subscribe (queued in this tick), so no change between the two is missed.
  queueMicrotask(() => void reloadTiers());
  return () => offs.forEach((off) => off());
}
