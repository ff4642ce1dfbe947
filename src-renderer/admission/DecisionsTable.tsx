import type { AdmissionDecision } from '@shared/contract';
import { shortId } from '../docker/format';
import { CheckList } from './CheckList';
import { decisionTone, MODE_TEXT } from './decision';

const OUTCOME_CLASS = { admitted: 'status-ok', violation: 'status-warning', rejected: 'status-critical' } as const;

/** What a decision was about: the container (linked) or the launch's image. */
function Subject({ d }: { d: AdmissionDecision }) {
  const c = d.request.container;
  if (c) return <a href={`#/containers/${c.id}`} title={shortId(c.id)}>{c.name}</a>;
  return <span className="mono">{d.request.image ?? '—'}</span>;
}

/** Recorded decisions, newest first; each row opens to its checks. */
export function DecisionsTable({ decisions }: { decisions: AdmissionDecision[] }) {
  return (
    <table className="table" data-testid="decisions-table">
      <thead>
        <tr>
          <th>Time</th>
          <th>Action</th>
          <th>Container / image</th>
          <th>Project</th>
          <th>Asked by</th>
          <th>Outcome</th>
          <th>Why</th>
        </tr>
      </thead>
      <tbody>
        {decisions.map((d, i) => (
          <tr key={d.id ?? `${d.at}-${i}`} data-testid="decision-row" data-outcome={d.outcome} data-tone={decisionTone(d)}>
            <td>{new Date(d.at).toLocaleString()}</td>
            <td>{d.request.action}</td>
            <td>
              <Subject d={d} />
            </td>
            <td>{d.request.project}</td>
            <td>{d.actor}</td>
            <td>
              <span className={`badge ${OUTCOME_CLASS[d.outcome]}`}>
                <span className="dot" />
                {d.outcome}
              </span>{' '}
              <small className="muted">{MODE_TEXT[d.mode]}</small>
            </td>
            <td>
              <details>
                <summary>{d.summary}</summary>
                <CheckList checks={d.checks} showMode />
              </details>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
