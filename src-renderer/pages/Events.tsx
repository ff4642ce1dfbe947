import { useEffect, useState } from 'react';
import { JOURNAL_ACTORS, type JournalActor, type JournalEvent } from '@shared/contract';
import { api } from '../api';
import { errorText } from '../docker/format';

interface Filters {
  type: string;
  container: string;
  outcome: '' | 'ok' | 'error';
  actor: '' | JournalActor;
  search: string;
}

/** The journal: every operation, failure and Docker event about our containers, newest first. */
export function Events() {
  const [f, setF] = useState<Filters>({ type: '', container: '', outcome: '', actor: '', search: '' });
  const [rows, setRows] = useState<JournalEvent[]>();
  const [error, setError] = useState<string>();
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const t = setTimeout(() => {
      api
        .call('events.list', {
          limit: 500,
          ...(f.type ? { type: f.type } : {}),
          ...(f.container ? { container: f.container } : {}),
          ...(f.outcome ? { outcome: f.outcome } : {}),
          ...(f.actor ? { actor: f.actor } : {}),
          ...(f.search ? { search: f.search } : {}),
        })
        .then(
          (r) => {
            setRows(r);
            setError(undefined);
          },
          (e: unknown) => setError(errorText(e)),
        );
    }, 200);
    return () => clearTimeout(t);
  }, [f, tick]);
  useEffect(() => {
    const offs = [api.on('containers.changed', () => setTick((x) => x + 1)), api.on('alerts.raised', () => setTick((x) => x + 1))];
    return () => offs.forEach((o) => o());
  }, []);
  const set = <K extends keyof Filters>(k: K, v: Filters[K]) => setF((x) => ({ ...x, [k]: v }));
  return (
    <div className="events" data-testid="events-page">
      <section className="card">
        <div className="toolbar filters">
          <input placeholder="Type prefix (container., docker.die)" value={f.type} onChange={(e) => set('type', e.target.value)} data-testid="events-type" />
          <input placeholder="Container id or name" value={f.container} onChange={(e) => set('container', e.target.value)} data-testid="events-container" />
          <select value={f.outcome} onChange={(e) => set('outcome', e.target.value as Filters['outcome'])} data-testid="events-outcome">
            <option value="">any outcome</option>
            <option value="ok">ok</option>
            <option value="error">error</option>
          </select>
          <select value={f.actor} onChange={(e) => set('actor', e.target.value as Filters['actor'])}>
            <option value="">anyone</option>
            {JOURNAL_ACTORS.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
          <input type="search" placeholder="Search" value={f.search} onChange={(e) => set('search', e.target.value)} />
        </div>
        {error && (
          <p className="inline-error" role="alert">
            {error}
          </p>
        )}
        {!rows && !error && <p className="muted">Loading events…</p>}
        {rows?.length === 0 && <p className="empty">No events match.</p>}
        {rows && rows.length > 0 && (
          <table className="table" data-testid="events-table">
            <thead>
              <tr>
                <th>Time</th>
                <th>Type</th>
                <th>Container</th>
                <th>Image</th>
                <th>Engine</th>
                <th>Actor</th>
                <th>Outcome</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} className={r.outcome === 'error' ? 'error-row' : undefined} data-testid="event-row">
                  <td>
                    {new Date(r.ts).toLocaleString()}
                    {r.count > 1 && (
                      <span className="muted" data-testid="event-count" title={`${r.count} identical occurrences, the last at ${new Date(r.lastTs).toLocaleString()}`}>
                        {' '}
                        ×{r.count.toLocaleString()}, last {new Date(r.lastTs).toLocaleTimeString()}
                      </span>
                    )}
                  </td>
                  <td className="mono">{r.type}</td>
                  <td>{r.containerId ? <a href={`#/containers/${r.containerId}`}>{r.container ?? r.containerId.slice(0, 12)}</a> : (r.container ?? '')}</td>
                  <td className="mono">{r.image ?? ''}</td>
                  <td title={r.engine ?? undefined}>{r.engineName ?? r.engine ?? ''}</td>
                  <td>{r.actor}</td>
                  <td>{r.outcome === 'error' ? <span title={r.error ?? ''}>error: {r.error}</span> : 'ok'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
