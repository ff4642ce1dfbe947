import { useEffect, useState, type FormEvent } from 'react';
import type { RegistryLogin, SecretStorage } from '@shared/contract';
import { api } from '../api';
import { errorText } from './format';
import { FormActions } from '../components/FormActions';

/** Registry logins: the secret goes to the OS keychain (or a 0600 file) and never comes back. */
export function RegistrySettings() {
  const [logins, setLogins] = useState<RegistryLogin[]>();
  const [f, setF] = useState({ registry: 'nvcr.io', username: '$oauthtoken', secret: '' });
  const [error, setError] = useState<string>();
  const [storage, setStorage] = useState<SecretStorage>();
  const load = () => api.call('registries.list', {}).then(setLogins, (e: unknown) => setError(errorText(e)));
  useEffect(() => void load(), []);
  useEffect(() => void api.call('app.info', {}).then((i) => setStorage(i.secretStorage), (e: unknown) => setError(errorText(e))), []);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await api.call('registries.login', f);
      setF({ ...f, secret: '' });
      setError(undefined);
      await load();
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <section className="card" data-testid="registry-settings">
      <h3>Registry credentials</h3>
      {storage?.warning && (
        <p className="banner warning inline" role="note" data-testid="secret-storage-warning" data-backend={storage.backend}>
          {storage.warning}
        </p>
      )}
      {storage && (
        <p className="muted" data-testid="secret-storage">
          Stored in: {storage.kind}
        </p>
      )}
      {logins?.length === 0 && <p className="empty">No logins: public images pull without one.</p>}
      {logins && logins.length > 0 && (
        <table className="table">
          <tbody>
            {logins.map((l) => (
              <tr key={l.registry}>
                <td className="mono">{l.registry}</td>
                <td className="mono">{l.username}</td>
                <td>{new Date(l.updatedAt).toLocaleString()}</td>
                <td>
                  <button onClick={() => void api.call('registries.logout', { registry: l.registry }).then(load, (x: unknown) => setError(errorText(x)))}>Log out</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="settings-form" onSubmit={(e) => void save(e)}>
        <label>
          Registry
          <input value={f.registry} onChange={(e) => setF({ ...f, registry: e.target.value })} />
        </label>
        <label>
          User
          <input value={f.username} onChange={(e) => setF({ ...f, username: e.target.value })} />
        </label>
        <label>
          Password or API key
          <input type="password" autoComplete="off" value={f.secret} onChange={(e) => setF({ ...f, secret: e.target.value })} />
        </label>
        <FormActions label="Save login" disabled={!f.secret} error={error} />
      </form>
    </section>
  );
}
