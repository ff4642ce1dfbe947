import { useEffect, useState, type FormEvent } from 'react';
import type { Thresholds } from '@shared/contract';
import { api } from '../../api';
import { useLive } from '../../store/live';
import { FormActions } from '../FormActions';

const FIELDS: [keyof Thresholds, string][] = [
  ['cpuWarnPercent', 'Host CPU warning (%)'],
  ['cpuCriticalPercent', 'Host CPU critical (%)'],
  ['memoryWarnPercent', 'Host memory warning (%)'],
  ['memoryCriticalPercent', 'Host memory critical (%)'],
  ['gpuTempWarnC', 'GPU temperature warning (°C)'],
  ['gpuTempCriticalC', 'GPU temperature critical (°C)'],
];

/** The machine's alert thresholds: they colour the tray and the status badge, and mark the charts. */
export function ThresholdSettings() {
  const thresholds = useLive((s) => s.settings?.thresholds);
  const [form, setForm] = useState<Record<string, string>>({});
  const [state, setState] = useState<{ kind: 'idle' | 'saved' } | { kind: 'error'; message: string }>({ kind: 'idle' });
  useEffect(() => {
    if (thresholds) setForm(Object.fromEntries(FIELDS.map(([k]) => [k, String(thresholds[k] ?? '')])));
  }, [thresholds]);
  if (!thresholds) return <p className="muted">Loading settings…</p>;
  const save = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await api.call('settings.update', { patch: { thresholds: Object.fromEntries(FIELDS.map(([k]) => [k, Number(form[k])])) } });
      setState({ kind: 'saved' });
    } catch (err) {
      setState({ kind: 'error', message: (err as Error).message });
    }
  };
  return (
    <section className="card" data-testid="threshold-settings">
      <h3>Machine alerts</h3>
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
