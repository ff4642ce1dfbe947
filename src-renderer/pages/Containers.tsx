import { useEffect, useState } from 'react';
import { formatBytes, formatPercent } from '@shared/units';
import { ContainerActions } from '../docker/ContainerActions';
import { formatPorts, HEALTH_CLASS, shortId } from '../docker/format';
import { LaunchForm } from '../docker/LaunchForm';
import { useContainers } from '../docker/useContainers';
import { ContainerDetail } from './ContainerDetail';

const detailId = () => decodeURIComponent(location.hash.replace(/^#\/?/, '').split('/')[1] ?? '');

/** #/containers: the table and the launch form; #/containers/<id>: one container's page. */
export function Containers() {
  const [id, setId] = useState(detailId);
  useEffect(() => {
    const on = () => setId(detailId());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return id ? <ContainerDetail id={id} /> : <ContainerList />;
}

function ContainerList() {
  const { list, health, stats, error } = useContainers();
  const [opError, setOpError] = useState<string>();
  return (
    <div className="containers" data-testid="containers-page">
      {opError && (
        <div className="banner error inline" role="alert" data-testid="containers-op-error">
          {opError} <button onClick={() => setOpError(undefined)}>Dismiss</button>
        </div>
      )}
      {error && (
        <div className="banner error inline" role="alert">
          Cannot list containers: {error}
        </div>
      )}
      <section className="card">
        <h3>Containers</h3>
        {!list && !error && <p className="muted">Loading containers…</p>}
        {list && list.length === 0 && <p className="empty">No containers on this engine yet: launch one below.</p>}
        {list && list.length > 0 && (
          <table className="table" data-testid="containers-table">
            <thead>
              <tr>
                <th>Name</th>
                <th>State</th>
                <th>Health</th>
                <th>Image</th>
                <th>Ports</th>
                <th>CPU</th>
                <th>Memory</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {list.map((c) => {
                const h = health[c.id];
                const s = stats.get(c.id);
                return (
                  <tr key={c.id} data-testid={`container-row-${c.name}`} data-state={c.state} className={c.managed ? undefined : 'foreign'}>
                    <td>
                      <a href={`#/containers/${c.id}`} title={shortId(c.id)}>
                        {c.name}
                      </a>
                      {c.project && <small className="muted"> · {c.project}</small>}
                    </td>
                    <td data-testid="container-state">{c.state}</td>
                    <td>
                      {h ? (
                        <span className={`badge ${HEALTH_CLASS[h.state]}`} title={h.reasons.join('\n')} data-testid="container-health">
                          <span className="dot" />
                          {h.state}
                        </span>
                      ) : (
                        <span className="muted">—</span>
                      )}
                    </td>
                    <td className="mono">{c.image}</td>
                    <td className="mono">{formatPorts(c.ports) || '—'}</td>
                    <td>{s ? formatPercent(s.cpuPercent) : '—'}</td>
                    <td>{s ? `${formatBytes(s.memoryUsed)}${s.memoryLimit ? ` / ${formatBytes(s.memoryLimit)}` : ''}` : '—'}</td>
                    <td>
                      <ContainerActions c={c} onError={setOpError} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>
      <LaunchForm onLaunched={() => setOpError(undefined)} />
    </div>
  );
}
