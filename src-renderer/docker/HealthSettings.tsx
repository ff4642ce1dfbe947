import { useEffect, useState, type FormEvent } from 'react';
import type { HealthSettings as HS } from '@shared/contract';
import { api } from '../api';
import { useLive } from '../store/live';
import { errorText } from './format';
import { FormActions } from '../components/FormActions';

const FIELDS: [keyof HS, string][] = [
  ['memoryWarnPercent', 'Memory warning (% of limit)'],
  ['memoryCriticalPercent', 'Memory critical (% of limit)'],
  ['cpuWarnPercent', 'CPU warning (% of limit)'],
  ['cpuCriticalPercent', 'CPU critical (% of limit)'],
  ['restartsCritical', 'Restarts that make it critical'],
  ['restartWindowMinutes', '… within (minutes)'],
  ['probeTimeoutMs', 'Probe timeout (ms)'],
  ['checkIntervalSeconds', 'Check every (s)'],
  ['snapshotIntervalSeconds', 'Store health every (s)'],
  ['retentionDays', 'Keep health history (days)'],
];

/** Container health thresholds, probe timeout, cadence and retention. */
export function HealthSettings() {
  const settings = useLive((s) => s.settings);
  const [form, setForm] = useState<Record<string, string>>({});
  const [state, setState] = useState<{ kind: 'idle' | 'saved' } | { kind: 'error'; message: string }>({ kind: 'idle' });
  useEffect(() => {
    if (settings?.health) setForm(Object.fromEntries(FIELDS.map(([k]) => [k, String(settings.health[k])])));
  }, [settings]);
  if (!settings?.health) return <p className="muted">Loading settings…</p>;
  const save = async (e: FormEvent) => {
    e.preventDefault();
    const health = Object.fromEntries(FIELDS.map(([k]) => [k, Number(form[k])]));
    try {
      await api.call('settings.update', { patch: { health } });
      setState({ kind: 'saved' });
    } catch (err) {
      setState({ kind: 'error', message: errorText(err) });
    }
  };
  return (
    <section className="card" data-testid="health-settings">
      <h3>Container health</h3>
      <form className="settings-form" onSubmit={(e) => void save(e)}>
        {FIELDS.map(([k, label]) => (
          <label key={k}>
            {label}
            <input inputMode="numeric" value={form[k] ?? ''} onChange={(e) => setForm({ ...form, [k]: e.target.value })} />
          </label>
        ))}
        <FormActions label="Save" note={state.kind === 'saved' && <span className="muted">Saved</span>} error={state.kind === 'error' ? state.message : undefined} />
      </form>
    </section>
  );
}
