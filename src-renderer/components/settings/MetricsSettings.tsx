import { useEffect, useState, type FormEvent } from 'react';
import type { SettingsPatch } from '@shared/contract';
import { api } from '../../api';
import { useLive } from '../../store/live';
import { FormActions } from '../FormActions';

/** Sampling interval, metrics retention and where nvidia-smi / tegrastats live (blank: on PATH). */
export function MetricsSettings() {
  const settings = useLive((s) => s.settings);
  const [form, setForm] = useState({ interval: '', raw: '', rollup: '', smi: '', tegra: '' });
  const [state, setState] = useState<{ kind: 'idle' | 'saving' | 'saved' } | { kind: 'error'; message: string }>({ kind: 'idle' });
  useEffect(() => {
    if (!settings) return;
    setForm({
      interval: String(settings.sampleIntervalMs),
      raw: String(settings.metrics.rawRetentionDays),
      rollup: String(settings.metrics.rollupRetentionDays),
      smi: settings.metrics.nvidiaSmiPath ?? '',
      tegra: settings.metrics.tegrastatsPath ?? '',
    });
  }, [settings]);
  if (!settings) return <p className="muted">Loading settings…</p>;

  async function save(e: FormEvent) {
    e.preventDefault();
    setState({ kind: 'saving' });
    const patch: SettingsPatch = {
      sampleIntervalMs: Number(form.interval),
      metrics: {
        rawRetentionDays: Number(form.raw),
        rollupRetentionDays: Number(form.rollup),
        nvidiaSmiPath: form.smi.trim() || null,
        tegrastatsPath: form.tegra.trim() || null,
      },
    };
    try {
      await api.call('settings.update', { patch });
      setState({ kind: 'saved' });
    } catch (err) {
      setState({ kind: 'error', message: (err as Error).message });
    }
  }
  const field = (key: keyof typeof form) => ({ value: form[key], onChange: (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value }) });

  return (
    <section className="card">
      <h3>Sampling and history</h3>
      <form className="settings-form" onSubmit={(e) => void save(e)} data-testid="metrics-settings">
      <label>
        Sampling interval (ms) <input type="number" min={250} max={60000} step={250} required {...field('interval')} />
      </label>
      <label>
        Keep full-grain samples (days) <input type="number" min={1} max={90} required {...field('raw')} />
      </label>
      <label>
        Keep per-minute and per-hour rollups (days) <input type="number" min={1} max={3650} required {...field('rollup')} />
      </label>
      <label>
        nvidia-smi path <input type="text" placeholder="found on PATH" {...field('smi')} />
      </label>
      <label>
        tegrastats path <input type="text" placeholder="found on PATH" {...field('tegra')} />
      </label>
      <FormActions label="Save" disabled={state.kind === 'saving'} note={state.kind === 'saved' && <span className="muted">Saved</span>} error={state.kind === 'error' ? state.message : undefined} />
      </form>
    </section>
  );
}
