import { useEffect, useState, type FormEvent } from 'react';
import type { BackupsState } from '@shared/contract';
import { formatBytes } from '@shared/units';
import { api } from '../../api';
import { useLive } from '../../store/live';
import { FormActions } from '../FormActions';

/**
 * The daily automatic backup of mlenv.db (on/off, how many to keep), the newest backup, and
 * "Back up now". Backups go to the data folder's backups/ only; the page never names a path.
 */
export function BackupSettings() {
  const settings = useLive((s) => s.settings?.backup);
  const [form, setForm] = useState({ enabled: true, keep: '' });
  const [saved, setSaved] = useState<{ kind: 'idle' | 'saved' } | { kind: 'error'; message: string }>({ kind: 'idle' });
  const [backups, setBackups] = useState<BackupsState>();
  const [now, setNow] = useState<{ kind: 'idle' | 'running' | 'done' } | { kind: 'error'; message: string }>({ kind: 'idle' });

  useEffect(() => {
    if (settings) setForm({ enabled: settings.enabled, keep: String(settings.keep) });
  }, [settings]);
  useEffect(() => {
    api.call('backups.list', {}).then(setBackups, () => undefined);
    return api.on('backups.changed', setBackups);
  }, []);
  if (!settings) return <p className="muted">Loading settings…</p>;

  const save = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await api.call('settings.update', { patch: { backup: { enabled: form.enabled, keep: Number(form.keep) } } });
      setSaved({ kind: 'saved' });
      setBackups(await api.call('backups.list', {}));
    } catch (err) {
      setSaved({ kind: 'error', message: (err as Error).message });
    }
  };
  const backUpNow = async () => {
    setNow({ kind: 'running' });
    try {
      await api.call('db.backup', {});
      setNow({ kind: 'done' });
      setBackups(await api.call('backups.list', {}));
    } catch (err) {
      setNow({ kind: 'error', message: (err as Error).message });
    }
  };
  const last = backups?.backups[0];

  return (
    <section className="card" data-testid="backup-settings">
      <h3>Database backups</h3>
      <form className="settings-form" onSubmit={(e) => void save(e)}>
        <label>
          <input type="checkbox" checked={form.enabled} onChange={(e) => setForm({ ...form, enabled: e.target.checked })} /> Back up mlenv.db every day
        </label>
        <label>
          Keep the newest (backups) <input inputMode="numeric" value={form.keep} onChange={(e) => setForm({ ...form, keep: e.target.value })} />
        </label>
        <FormActions label="Save" note={saved.kind === 'saved' && <span className="muted">Saved</span>} error={saved.kind === 'error' ? saved.message : undefined} />
      </form>
      <p className="muted" data-testid="backup-last">
        {last ? `Last backup ${new Date(last.ts).toLocaleString()}, ${formatBytes(last.bytes)}: ${last.path}` : 'No backup yet.'}
        {backups && ` ${backups.backups.length} in ${backups.dir}.`}
      </p>
      {backups?.lastError && (
        <p className="inline-error" role="alert">
          The backup at {new Date(backups.lastError.ts).toLocaleString()} failed: {backups.lastError.message}
        </p>
      )}
      <div className="form-actions">
        <button type="button" disabled={now.kind === 'running' || backups?.running} onClick={() => void backUpNow()} data-testid="backup-now">
          {now.kind === 'running' || backups?.running ? 'Backing up…' : 'Back up now'}
        </button>
        {now.kind === 'done' && <span className="muted">Backed up</span>}
        {now.kind === 'error' && (
          <span className="inline-error" role="alert">
            {now.message}
          </span>
        )}
      </div>
    </section>
  );
}
