import { useEffect, useState, type FormEvent } from 'react';
import type { SettingsPatch } from '@shared/contract';
import { api } from '../../api';
import { FormActions } from '../FormActions';

/**
 * A settings section of numeric fields: shows the stored values, saves them with one
 * `settings.update`, and shows the core's refusal in its own words.
 */
export function NumberSettings<K extends string>(props: {
  title: string;
  testId: string;
  fields: readonly (readonly [K, string])[];
  values: Partial<Record<K, number>> | undefined;
  patch: (values: Record<K, number>) => SettingsPatch;
}) {
  const { fields, values } = props;
  const [form, setForm] = useState<Record<string, string>>({});
  const [state, setState] = useState<{ kind: 'idle' | 'saved' } | { kind: 'error'; message: string }>({ kind: 'idle' });
  useEffect(() => {
    if (values) setForm(Object.fromEntries(fields.map(([k]) => [k, String(values[k] ?? '')])));
  }, [values, fields]);
  if (!values) return <p className="muted">Loading settings…</p>;
  const save = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await api.call('settings.update', { patch: props.patch(Object.fromEntries(fields.map(([k]) => [k, Number(form[k])])) as Record<K, number>) });
      setState({ kind: 'saved' });
    } catch (err) {
      setState({ kind: 'error', message: (err as Error).message });
    }
  };
  return (
    <section className="card" data-testid={props.testId}>
      <h3>{props.title}</h3>
      <form className="settings-form" onSubmit={(e) => void save(e)}>
        {fields.map(([k, label]) => (
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
