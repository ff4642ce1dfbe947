import { useCallback, useEffect, useState } from 'react';
import type { ContainerDetail as Detail, HealthReport, JournalEvent, JupyterLink } from '@shared/contract';
import { formatBytes } from '@shared/units';
import { api } from '../api';
import { ContainerAdmission } from '../admission/ContainerAdmission';
import { ContainerCharts } from '../components/ContainerCharts';
import { ContainerActions } from '../docker/ContainerActions';
import { ContainerGpus } from '../docker/ContainerGpus';
import { errorText, formatTime, formatUlimit, HEALTH_CLASS, portUrl, shortId } from '../docker/format';
import { LogViewer } from '../docker/LogViewer';
import { useJupyterWait } from '../docker/useJupyterWait';
import { useHealthStore } from '../store/health';

/** Why an unauthenticated Jupyter link matters, in words (null: the log did not say either way). */
function jupyterAuthNote(j: JupyterLink): string {
  const port = new URL(j.url).port || (j.url.startsWith('https:') ? '443' : '80');
  return j.authenticated === false
    ? `This Jupyter server has no authentication: anyone who can reach port ${port} can run code in this container.`
    : `This Jupyter link has no token: unless the server asks for a password, anyone who can reach port ${port} can run code in this container.`;
}

/** One container: overview, health report, live charts, logs and its events. */
export function ContainerDetail({ id }: { id: string }) {
  const [d, setD] = useState<Detail>();
  const [report, setReport] = useState<HealthReport>();
  const [events, setEvents] = useState<JournalEvent[]>();
  const [error, setError] = useState<string>();
  const [opError, setOpError] = useState<string>();

  const load = useCallback(async () => {
    try {
      const detail = await api.call('containers.inspect', { id });
      setD(detail);
      setError(undefined);
      const [r, ev] = await Promise.all([
        detail.managed ? api.call('health.report', { id: detail.id }).catch(() => undefined) : Promise.resolve(undefined),
        api.call('events.list', { container: detail.id, limit: 100 }),
      ]);
      setReport(r);
      setEvents(ev);
    } catch (e) {
      setError(errorText(e));
    }
  }, [id]);
  useEffect(() => void load(), [load]);
  useEffect(() => {
    return api.on('containers.changed', (c) => (c.id === id || c.id === d?.id || c.name === id) && void load());
  }, [load, id, d?.id]); // not a reload of the page on `health.changed`: the judgement below comes from the store
  // The current judgement follows `health.changed` through the shared store; the report's history is read with the page.
  const live = useHealthStore((s) => (d ? s.byId[d.id] : undefined));
  const awaitingJupyter = useJupyterWait(d, () => void load());

  if (error) {
    return (
      <div className="banner error inline" role="alert">
        {error} <a href="#/containers">Back to containers</a>
      </div>
    );
  }
  if (!d) return <p className="muted">Loading container…</p>;
  const h = live ?? report?.current;
  const history = report?.history ?? [];
  return (
    <div className="container-detail" data-testid="container-detail" data-state={d.state}>
      <p>
        <a href="#/containers">← Containers</a>
      </p>
      {opError && (
        <div className="banner error inline" role="alert">
          {opError}
        </div>
      )}
      <section className="card">
        <div className="toolbar">
          <h2 data-testid="detail-name">{d.name}</h2>
          <span className="badge" data-testid="detail-state">
            {d.state}
          </span>
          {h && (
            <span className={`badge ${HEALTH_CLASS[h.state]}`} data-testid="detail-health">
              <span className="dot" />
              {h.state}
            </span>
          )}
          <span className="spacer" />
          <ContainerActions c={d} onError={setOpError} onRemoved={() => (location.hash = '#/containers')} />
        </div>
        <dl className="facts">
          <dt>ID</dt>
          <dd className="mono">{shortId(d.id)}</dd>
          <dt>Image</dt>
          <dd className="mono">{d.image}</dd>
          <dt>Status</dt>
          <dd>{d.status}{d.exitCode !== null ? ` (exit code ${d.exitCode})` : ''}{d.oomKilled ? ' · OOM-killed' : ''}</dd>
          <dt>Started</dt>
          <dd>{formatTime(d.startedAt)}</dd>
          <dt>Command</dt>
          <dd className="mono">{d.command.join(' ') || '—'}</dd>
          <dt>Limits</dt>
          <dd>
            CPUs {d.nanoCpus ? d.nanoCpus / 1e9 : 'unlimited'} · memory {d.memory ? formatBytes(d.memory) : 'unlimited'}
            {d.shmSize ? ` · shm ${formatBytes(d.shmSize)}` : ''}
          </dd>
          <dt>GPUs</dt>
          <ContainerGpus gpus={d.gpus} runtime={d.runtime} />
          <dt>IPC</dt>
          <dd className="mono" data-testid="detail-ipc">
            {d.ipcMode ?? 'default'}
          </dd>
          <dt>Ulimits</dt>
          <dd className="mono" data-testid="detail-ulimits">
            {d.ulimits.map(formatUlimit).join(' ') || 'the engine’s defaults'}
          </dd>
          <dt>Ports</dt>
          <dd>
            {d.ports.length === 0 && '—'}
            {d.ports.map((p) => {
              const url = portUrl(p);
              const text = p.hostPort ? `${p.hostPort}→${p.containerPort}/${p.protocol}` : `${p.containerPort}/${p.protocol}`;
              return (
                <span key={`${p.containerPort}/${p.protocol}/${p.hostPort}`} className="port">
                  {url ? (
                    <a href={url} target="_blank" rel="noreferrer" data-testid="port-link">
                      {text}
                    </a>
                  ) : (
                    text
                  )}
                </span>
              );
            })}
            {d.jupyter && (
              <a className="button" href={d.jupyter.url} target="_blank" rel="noreferrer" data-testid="open-jupyter">
                Open Jupyter
              </a>
            )}
            {awaitingJupyter && (
              <span className="muted" data-testid="jupyter-waiting">
                {' '}
                Waiting for Jupyter to print its address…
              </span>
            )}
          </dd>
          {d.jupyter && d.jupyter.authenticated !== true && (
            <dd className="banner warning inline" role="note" data-testid="jupyter-no-auth">
              {jupyterAuthNote(d.jupyter)}
            </dd>
          )}
          <dt>Restart policy</dt>
          <dd>{d.restartPolicy} · restarted {d.restartCount} times</dd>
          <dt>Mounts</dt>
          <dd className="mono">{d.mounts.map((m) => `${m.source}:${m.target}${m.readOnly ? ':ro' : ''}`).join(', ') || '—'}</dd>
          <dt>Environment</dt>
          <dd className="mono">{d.env.join(' · ') || '—'}</dd>
        </dl>
      </section>

      <section className="card" data-testid="health-report">
        <h3>Health</h3>
        {!d.managed && <p className="muted">Health is judged for containers MLEnv created.</p>}
        {d.managed && !h && <p className="muted">Not judged yet.</p>}
        {h && (
          <>
            <p>
              <strong>{h.state}</strong> since {formatTime(h.since)}
              {h.reasons.length === 0 && ' — nothing to report'}
            </p>
            {h.reasons.length > 0 && (
              <ul data-testid="health-reasons">
                {h.reasons.map((r) => (
                  <li key={r}>{r}</li>
                ))}
              </ul>
            )}
            {h.probe && (
              <p className="muted">
                Probe {h.probe.kind} {h.probe.target}: {h.probe.ok ? `answered in ${h.probe.ms} ms` : h.probe.error}
              </p>
            )}
            <div className="health-history">
              {history.length === 0 && <span className="muted">No history stored yet (one snapshot a minute by default).</span>}
              {history.map((s) => (
                <span key={s.ts} className={`tick ${HEALTH_CLASS[s.state]}`} title={`${new Date(s.ts).toLocaleString()}: ${s.state}${s.reasons.length ? ` — ${s.reasons.join('; ')}` : ''}`} />
              ))}
            </div>
          </>
        )}
      </section>

      {d.managed && <ContainerAdmission containerId={d.id} />}

      {d.managed && (
        <section className="card">
          <h3>Charts</h3>
          <ContainerCharts containerId={d.id} />
        </section>
      )}

      <LogViewer containerId={d.id} name={d.name} />

      <section className="card">
        <h3>Events</h3>
        {!events && <p className="muted">Loading events…</p>}
        {events && events.length === 0 && <p className="empty">No events recorded for this container.</p>}
        {events && events.length > 0 && (
          <table className="table">
            <tbody>
              {events.map((e) => (
                <tr key={e.id} className={e.outcome === 'error' ? 'error-row' : undefined}>
                  <td>{new Date(e.ts).toLocaleString()}</td>
                  <td className="mono">{e.type}</td>
                  <td>{e.actor}</td>
                  <td>{e.error ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
