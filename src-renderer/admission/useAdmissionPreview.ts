import { useEffect, useRef, useState } from 'react';
import type { AdmissionDecision } from '@shared/contract';
import { api } from '../api';
import { errorText } from '../docker/format';
import { checkKey, type CheckInput } from './request';
import { createCheckScheduler, type CheckScheduler } from './scheduler';

/** Quiet time after the last keystroke before asking admission. */
export const PREVIEW_DEBOUNCE_MS = 300;
/** Least time between two re-checks driven by the machine's load (`metrics.snapshot` comes every second). */
export const PREVIEW_RECHECK_MS = 2000;

export interface PreviewState {
  decision?: AdmissionDecision;
  /** The key of the request `decision` answers (stale when it differs from the current one). */
  answered?: string;
  error?: string;
}

/**
 * The live admission preview of `request` (undefined: none): `admission.check` after edits pause,
 * again as the machine's load changes, the newest question's answer only.
 */
export function useAdmissionPreview(request: CheckInput | undefined): PreviewState & { stale: boolean } {
  const [state, setState] = useState<PreviewState>({});
  const scheduler = useRef<CheckScheduler<CheckInput>>(undefined);
  useEffect(() => {
    const s = createCheckScheduler<CheckInput, AdmissionDecision>({
      check: (r) => api.call('admission.check', r),
      onResult: (decision, r) => setState({ decision, answered: checkKey(r) }),
      onError: (e, r) => setState((st) => ({ ...st, answered: checkKey(r), error: errorText(e) })),
      key: checkKey,
      debounceMs: PREVIEW_DEBOUNCE_MS,
      throttleMs: PREVIEW_RECHECK_MS,
    });
    scheduler.current = s;
    const off = api.on('metrics.snapshot', () => s.loadChanged());
    return () => {
      off();
      s.dispose();
      scheduler.current = undefined;
    };
  }, []);
  const key = request ? checkKey(request) : undefined;
  const latest = useRef(request);
  latest.current = request;
  // Keyed on the request's content: a re-render with an equal request asks nothing.
  useEffect(() => scheduler.current?.set(latest.current), [key]);
  return { ...state, error: state.answered === key ? state.error : undefined, stale: state.answered !== key };
}
