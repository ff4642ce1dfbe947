import { api } from '../api';
import { applyAudit, applyPolicy, decided, failedAdmission, loadedDecisions, setFilters, useAdmissionStore, type DecisionFilters } from './admission';

/** Reads the policy and the latest audit (at start and after a reconnect). */
export async function reloadAdmission(): Promise<void> {
  const [policy, audit] = await Promise.all([api.call('admission.policy', {}).catch(() => undefined), api.call('admission.audit', {}).catch(() => undefined)]);
  useAdmissionStore.setState((s) => {
    const withPolicy = policy ? applyPolicy(s, policy) : s;
    return audit ? applyAudit(withPolicy, audit) : withPolicy;
  });
}

/** Reads the decisions under `filters` (the Admission page's). */
export async function reloadDecisions(filters: DecisionFilters = useAdmissionStore.getState().filters): Promise<void> {
  useAdmissionStore.setState((s) => setFilters(s, filters));
  try {
    const list = await api.call('admission.decisions', {
      limit: 200,
      ...(filters.outcome ? { outcome: filters.outcome } : {}),
      ...(filters.project ? { project: filters.project } : {}),
      ...(filters.actor ? { actor: filters.actor } : {}),
    });
    useAdmissionStore.setState((s) => loadedDecisions(s, filters, list));
  } catch (e) {
    useAdmissionStore.setState((s) => failedAdmission(s, e));
  }
}

/** Runs an audit pass now and keeps its findings. */
export async function refreshAudit(): Promise<void> {
  const audit = await api.call('admission.audit', { refresh: true });
  useAdmissionStore.setState((s) => applyAudit(s, audit));
}

/**
 * Keeps the admission store for the app's life (the header shows the policy's mode): follows
 * `admission.policy`, `admission.audit` and `admission.decided`, loads the policy and the audit
 * once and again after a reconnect. Returns the way to stop.
 */
export function connectAdmission(): () => void {
  const offs = [
    api.on('admission.policy', (p) => useAdmissionStore.setState((s) => applyPolicy(s, p))),
    api.on('admission.audit', (a) => useAdmissionStore.setState((s) => applyAudit(s, a))),
    api.on('admission.decided', (d) => useAdmissionStore.setState((s) => decided(s, d))),
    api.onReconnect(() => {
      void reloadAdmission();
      if (useAdmissionStore.getState().decisions) void reloadDecisions();
    }),
  ];
  // After the client's subscribe (queued in this tick), so no change between the two is missed.
  queueMicrotask(() => void reloadAdmission());
  return () => offs.forEach((off) => off());
}
