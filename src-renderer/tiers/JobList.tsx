import type { TierJob } from '@shared/contract';
import { formatBytes } from '@shared/units';
import { formatDuration, formatPrediction } from './format';

const STATE_CLASS: Record<TierJob['state'], string> = {
  queued: 'status-stopped',
  running: 'status-warning',
  verifying: 'status-warning',
  done: 'status-ok',
  failed: 'status-critical',
  rolled_back: 'status-critical',
};

/** Predicted against actual, once both are known. */
function timing(j: TierJob): string {
  const parts = [j.prediction && `predicted ${formatPrediction(j.prediction)}`, j.actualMs !== null && `took ${formatDuration(j.actualMs)}`];
  return parts.filter(Boolean).join(' · ') || '—';
}

/** The tier moves, newest first, kept live by `jobs.updated`. */
export function JobList({ jobs }: { jobs: TierJob[] | undefined }) {
  return (
    <section className="card" data-testid="tier-jobs">
      <h3>Moves</h3>
      {!jobs && <p className="muted">Loading moves…</p>}
      {jobs?.length === 0 && <p className="empty">No move yet.</p>}
      {jobs && jobs.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th>Queued</th>
              <th>Model</th>
              <th>Move</th>
              <th>State</th>
              <th>Why</th>
              <th>Time</th>
              <th>Memory</th>
              <th>Verified</th>
            </tr>
          </thead>
          <tbody>
            {jobs.map((j) => (
              <tr key={j.id} data-testid="tier-job" data-state={j.state} className={j.state === 'failed' || j.state === 'rolled_back' ? 'error-row' : undefined}>
                <td>{new Date(j.createdAt).toLocaleTimeString()}</td>
                <td>{j.model}</td>
                <td>
                  {j.from} → {j.to}
                </td>
                <td>
                  <span className={`badge ${STATE_CLASS[j.state]}`}>
                    <span className="dot" />
                    {j.state.replace('_', ' ')}
                  </span>
                </td>
                <td>
                  {j.reason} <small className="muted">({j.trigger})</small>
                  {j.error && <div className="inline-error">{j.error}</div>}
                </td>
                <td>{timing(j)}</td>
                <td>{j.memoryBeforeBytes !== null || j.memoryAfterBytes !== null ? `${formatBytes(j.memoryBeforeBytes)} → ${formatBytes(j.memoryAfterBytes)}` : '—'}</td>
                <td>{j.verification ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
