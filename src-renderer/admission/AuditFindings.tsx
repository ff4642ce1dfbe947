import { useState } from 'react';
import type { AdmissionAudit, AuditFinding } from '@shared/contract';
import { errorText, shortId } from '../docker/format';
import { refreshAudit } from '../store/admission-connect';

const KIND_TEXT: Record<AuditFinding['kind'], string> = { quota: 'over quota', unadmitted: 'running without a decision', gpu_shared: 'GPU shared' };

/** The audit pass over running containers: what now breaks the policy (reported, never acted on), and "Audit now". */
export function AuditFindings({ audit }: { audit: AdmissionAudit | undefined }) {
  const [state, setState] = useState<{ kind: 'idle' | 'running' } | { kind: 'error'; message: string }>({ kind: 'idle' });
  const run = async () => {
    setState({ kind: 'running' });
    try {
      await refreshAudit();
      setState({ kind: 'idle' });
    } catch (e) {
      setState({ kind: 'error', message: errorText(e) });
    }
  };
  return (
    <section className="card" data-testid="audit-findings">
      <div className="toolbar">
        <h3>Audit of running containers</h3>
        <span className="spacer" />
        <small className="muted">{audit?.at ? `last pass ${new Date(audit.at).toLocaleString()}` : 'no pass yet'}</small>
        <button type="button" onClick={() => void run()} disabled={state.kind === 'running'} data-testid="audit-now">
          {state.kind === 'running' ? 'Auditing…' : 'Audit now'}
        </button>
      </div>
      {state.kind === 'error' && (
        <p className="inline-error" role="alert">
          {state.message}
        </p>
      )}
      {audit && audit.findings.length === 0 && <p className="empty">Everything running keeps to the policy.</p>}
      {audit && audit.findings.length > 0 && (
        <ul className="audit-list">
          {audit.findings.map((f, i) => (
            <li key={`${f.kind}-${f.project}-${i}`} className="banner warning inline" data-testid="audit-finding" data-kind={f.kind}>
              <strong>{KIND_TEXT[f.kind]}</strong>
              {f.project && <span className="muted"> · project {f.project}</span>}: {f.sentence}{' '}
              {f.containers.map((c) => (
                <a key={c.id} href={`#/containers/${c.id}`} title={shortId(c.id)} className="port">
                  {c.name}
                </a>
              ))}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
