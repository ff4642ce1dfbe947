import { useEffect, useState, type FormEvent } from 'react';
import { engineAddSchema, type EngineInfo } from '@shared/contract';
import { api } from '../api';
import { errorText } from './format';
import { FormActions } from '../components/FormActions';

type Kind = 'unix' | 'tcp' | 'ssh';
const PLAIN_TCP =
  'anyone on the network path can read and drive this engine (Docker’s own advice: never expose the daemon without TLS). MLEnv never sends registry logins to it: pulls go anonymous, and nvcr.io pulls that need your NGC key are refused.';
const EMPTY = { kind: 'unix' as Kind, name: '', socketPath: '', host: '', port: '', ca: '', cert: '', key: '', username: '', privateKeyPath: '' };

/** The engines the app talks to, and a form to add one (unix socket, tcp with TLS, ssh). */
export function EnginesSettings() {
  const [engines, setEngines] = useState<EngineInfo[]>();
  const [f, setF] = useState(EMPTY);
  const [error, setError] = useState<string>();
  useEffect(() => {
    api.call('engines.list', {}).then(setEngines, (e: unknown) => setError(errorText(e)));
    return api.on('engines.changed', setEngines);
  }, []);
  const input = () => {
    const port = f.port ? Number(f.port) : undefined;
    if (f.kind === 'unix') return { kind: f.kind, name: f.name, socketPath: f.socketPath };
    if (f.kind === 'tcp') return { kind: f.kind, name: f.name, host: f.host, port: port ?? 2376, ...(f.ca || f.cert || f.key ? { tls: { ca: f.ca, cert: f.cert, key: f.key } } : {}) };
    return { kind: f.kind, name: f.name, host: f.host, port: port ?? 22, username: f.username, ...(f.privateKeyPath ? { privateKeyPath: f.privateKeyPath } : {}) };
  };
  const add = async (e: FormEvent) => {
    e.preventDefault();
    const parsed = engineAddSchema.safeParse(input());
    if (!parsed.success) return setError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    try {
      await api.call('engines.add', input());
      setF(EMPTY);
      setError(undefined);
    } catch (err) {
      setError(errorText(err));
    }
  };
  const text = (k: keyof typeof EMPTY, label: string, placeholder = '') => (
    <label>
      {label}
      <input value={f[k]} placeholder={placeholder} onChange={(e) => setF({ ...f, [k]: e.target.value })} />
    </label>
  );
  return (
    <section className="card" data-testid="engines-settings">
      <h3>Docker engines</h3>
      {!engines && !error && <p className="muted">Loading engines…</p>}
      {engines && (
        <table className="table">
          <tbody>
            {engines.map((e) => (
              <tr key={e.id}>
                <td>{e.name}</td>
                <td className="mono">
                  {e.status.host}
                  {e.cleartext && (
                    <>
                      {' '}
                      <span className="badge insecure" data-testid="engine-insecure" title={PLAIN_TCP}>
                        insecure: plain TCP
                      </span>
                    </>
                  )}
                </td>
                <td>
                  <span className={`badge engine-${e.status.state}`}>
                    <span className="dot" />
                    {e.status.state}
                  </span>
                </td>
                <td>{e.status.version ? `Docker ${e.status.version} · API ${e.status.apiVersion} · ${e.status.os}/${e.status.arch}` : (e.status.error ?? '')}</td>
                <td>{e.status.runtimes?.join(', ')}</td>
                <td>{e.kind !== 'local' && <button onClick={() => void api.call('engines.remove', { id: e.id }).catch((x: unknown) => setError(errorText(x)))}>Remove</button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="settings-form" onSubmit={(e) => void add(e)}>
        <label>
          Kind
          <select value={f.kind} onChange={(e) => setF({ ...f, kind: e.target.value as Kind })}>
            <option value="unix">unix socket</option>
            <option value="tcp">tcp (TLS; plain TCP is insecure)</option>
            <option value="ssh">ssh</option>
          </select>
        </label>
        {text('name', 'Name', 'gpu-box')}
        {f.kind === 'unix' && text('socketPath', 'Socket', '/var/run/docker.sock')}
        {f.kind !== 'unix' && text('host', 'Host', '192.168.1.20')}
        {f.kind !== 'unix' && text('port', 'Port', f.kind === 'tcp' ? '2376' : '22')}
        {f.kind === 'tcp' && text('ca', 'CA file', '/home/me/.docker/ca.pem')}
        {f.kind === 'tcp' && text('cert', 'Certificate file', '/home/me/.docker/cert.pem')}
        {f.kind === 'tcp' && text('key', 'Key file', '/home/me/.docker/key.pem')}
        {f.kind === 'tcp' && !(f.ca || f.cert || f.key) && (
          <p className="banner warning inline" data-testid="engine-plain-tcp-warning">
            Without TLS files this is plain TCP, which is insecure: {PLAIN_TCP}
          </p>
        )}
        {f.kind === 'ssh' && text('username', 'User', 'me')}
        {f.kind === 'ssh' && text('privateKeyPath', 'Private key', '/home/me/.ssh/id_ed25519')}
        <FormActions label="Add engine" disabled={!f.name} error={error} />
      </form>
    </section>
  );
}
