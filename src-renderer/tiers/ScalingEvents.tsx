import type { ScalingEvent } from '@shared/contract';
import { formatBytes } from '@shared/units';
import { formatDuration } from './format';

/** Every move recorded as a scaling event (scale up / down, automatic or manual), newest first. */
export function ScalingEvents({ events }: { events: ScalingEvent[] | undefined }) {
  return (
    <section className="card" data-testid="scaling-events">
      <h3>Scaling events</h3>
      {!events && <p className="muted">Loading scaling events…</p>}
      {events?.length === 0 && <p className="empty">No scaling event yet.</p>}
      {events && events.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th>Started</th>
              <th>Type</th>
              <th>Model</th>
              <th>Move</th>
              <th>Memory</th>
              <th>Duration</th>
              <th>Why</th>
              <th>Outcome</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <tr key={e.id} className={e.success ? undefined : 'error-row'} data-testid="scaling-event">
                <td>{new Date(e.startedAt).toLocaleString()}</td>
                <td className="mono">{e.type}</td>
                <td>{e.model}</td>
                <td>
                  {e.fromTier} → {e.toTier}
                </td>
                <td>{formatBytes(e.memoryBeforeBytes)} → {formatBytes(e.memoryAfterBytes)}</td>
                <td>{e.durationMs !== null ? formatDuration(e.durationMs) : 'under way'}</td>
                <td>
                  {e.reason} <small className="muted">({e.trigger})</small>
                </td>
                <td>{e.success ? 'ok' : <span className="inline-error">failed: {e.error}</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
