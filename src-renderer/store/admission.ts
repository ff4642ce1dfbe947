import { create } from 'zustand';
import type { Actor, AdmissionAudit, AdmissionDecision, AdmissionOutcome, AdmissionPolicy } from '@shared/contract';
import { errorText } from '../docker/format';

/** The Admission page's filters ('' = any). */
export interface DecisionFilters {
  outcome: '' | AdmissionOutcome;
  project: string;
  actor: '' | Actor;
}
export const NO_FILTERS: DecisionFilters = { outcome: '', project: '', actor: '' };

/** How many decisions the page keeps (the newest). */
export const DECISIONS_SHOWN = 200;

/**
 * The admission policy (its mode shows in the header), the latest audit, and the decisions listed
 * on the Admission page under its filters; kept by `admission.policy`, `admission.audit` and
 * `admission.decided` (store/admission-connect.ts).
 */
export interface AdmissionState {
  /** Undefined until the first load answers. */
  policy?: AdmissionPolicy;
  audit?: AdmissionAudit;
  /** Newest first, matching `filters`; undefined until loaded. */
  decisions?: AdmissionDecision[];
  filters: DecisionFilters;
  /** The last failed read, in words. */
  error?: string;
}

export const useAdmissionStore = create<AdmissionState>(() => ({ filters: NO_FILTERS }));

/** The policy as read (`admission.policy`) or changed (the `admission.policy` event, `admission.setPolicy`'s answer). */
export const applyPolicy = (s: AdmissionState, policy: AdmissionPolicy): AdmissionState => ({ ...s, policy });

/** An audit pass's findings replace the last ones; an older pass arriving late is ignored. */
export function applyAudit(s: AdmissionState, audit: AdmissionAudit): AdmissionState {
  if (s.audit?.at != null && audit.at != null && audit.at < s.audit.at) return s;
  return { ...s, audit };
}

/** Whether a decision belongs in the list under `f`. */
export const matchesFilters = (d: AdmissionDecision, f: DecisionFilters): boolean =>
  (!f.outcome || d.outcome === f.outcome) && (!f.project || d.request.project === f.project) && (!f.actor || d.actor === f.actor);

/** `admission.decisions`' answer for `filters`; an answer for filters no longer set is dropped. */
export function loadedDecisions(s: AdmissionState, filters: DecisionFilters, list: AdmissionDecision[]): AdmissionState {
  if (!sameFilters(s.filters, filters)) return s;
  return { ...s, decisions: list.slice(0, DECISIONS_SHOWN), error: undefined };
}

/** New filters: the list is read again (until then none is shown, so no row from the old filters lingers). */
export const setFilters = (s: AdmissionState, filters: DecisionFilters): AdmissionState =>
  sameFilters(s.filters, filters) ? s : { ...s, filters, decisions: undefined };

/**
 * One recorded decision (`admission.decided`): first in the list when it matches the filters; one
 * already listed (same id) is replaced in place. Nothing changes before the list is loaded.
 */
export function decided(s: AdmissionState, d: AdmissionDecision): AdmissionState {
  if (!s.decisions || !matchesFilters(d, s.filters)) return s;
  const at = d.id === undefined ? -1 : s.decisions.findIndex((x) => x.id === d.id);
  if (at >= 0) return { ...s, decisions: s.decisions.map((x, i) => (i === at ? d : x)) };
  return { ...s, decisions: [d, ...s.decisions].slice(0, DECISIONS_SHOWN) };
}

export const failedAdmission = (s: AdmissionState, e: unknown): AdmissionState => ({ ...s, error: errorText(e) });

const sameFilters = (a: DecisionFilters, b: DecisionFilters) => a.outcome === b.outcome && a.project === b.project && a.actor === b.actor;
