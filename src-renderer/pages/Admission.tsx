import { useEffect, useRef } from 'react';
import { ACTORS, ADMISSION_OUTCOMES } from '@shared/contract';
import { AuditFindings } from '../admission/AuditFindings';
import { DecisionsTable } from '../admission/DecisionsTable';
import { setFilters, useAdmissionStore, type DecisionFilters } from '../store/admission';
import { reloadDecisions } from '../store/admission-connect';
import '../admission/admission.css';

/** Waits this long after the last keystroke in the project filter before reading again. */
const FILTER_DEBOUNCE_MS = 250;

/** The decision filters: outcome, project, who asked. */
function Filters({ f, onChange }: { f: DecisionFilters; onChange(f: DecisionFilters): void }) {
  return (
    <div className="toolbar filters">
      <select value={f.outcome} onChange={(e) => onChange({ ...f, outcome: e.target.value as DecisionFilters['outcome'] })} data-testid="decisions-outcome" aria-label="Outcome">
        <option value="">any outcome</option>
        {ADMISSION_OUTCOMES.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
      <input placeholder="Project" value={f.project} onChange={(e) => onChange({ ...f, project: e.target.value.trim() })} data-testid="decisions-project" aria-label="Project" />
      <select value={f.actor} onChange={(e) => onChange({ ...f, actor: e.target.value as DecisionFilters['actor'] })} data-testid="decisions-actor" aria-label="Asked by">
        <option value="">anyone</option>
        {ACTORS.map((a) => (
          <option key={a} value={a}>
            {a}
          </option>
        ))}
      </select>
    </div>
  );
}

/** #/admission: every recorded admission decision (filtered), and the audit's findings about what runs. */
export function Admission() {
  const { decisions, filters, audit, error } = useAdmissionStore();
  const first = useRef(true);
  // The first read at once, and a read after each change of filters (typing in the project waits a little).
  useEffect(() => {
    const t = setTimeout(() => void reloadDecisions(filters), first.current ? 0 : FILTER_DEBOUNCE_MS);
    first.current = false;
    return () => clearTimeout(t);
  }, [filters]);
  return (
    <div className="admission" data-testid="admission-page">
      <AuditFindings audit={audit} />
      <section className="card">
        <h3>Decisions</h3>
        <Filters f={filters} onChange={(f) => useAdmissionStore.setState((s) => setFilters(s, f))} />
        {error && (
          <p className="inline-error" role="alert">
            {error}
          </p>
        )}
        {!decisions && !error && <p className="muted">Loading decisions…</p>}
        {decisions?.length === 0 && <p className="empty">No decisions match.</p>}
        {decisions && decisions.length > 0 && <DecisionsTable decisions={decisions} />}
      </section>
    </div>
  );
}
