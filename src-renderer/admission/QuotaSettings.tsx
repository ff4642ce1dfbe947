import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { ProjectQuotaView } from '@shared/contract';
import { formatBytes } from '@shared/units';
import { api } from '../api';
import { FormActions } from '../components/FormActions';
import { errorText } from '../docker/format';
import { EMPTY_QUOTA, quotaForm, quotaInput, type QuotaField, type QuotaForm } from './quota-form';

const LABELS: [QuotaField, string, string][] = [
  ['project', 'Project', 'e.g. research'],
  ['containers', 'Containers at most', 'no limit'],
  ['memory', 'Memory at most', 'e.g. 64g; no limit'],
  ['cpus', 'CPUs at most', 'e.g. 16; no limit'],
  ['gpus', 'GPUs at most', 'no limit'],
];

const ceiling = (v: number | null, used: number, f: (n: number) => string = String) => `${f(used)} of ${v === null ? 'no limit' : f(v)}`;

/** The add / edit form of one project's quota. */
function QuotaEditor({ initial, onSaved }: { initial: QuotaForm; onSaved(): void }) {
  const [form, setForm] = useState(initial);
  const [touched, setTouched] = useState(false);
  const [state, setState] = useState<{ kind: 'idle' | 'saving' | 'saved' } | { kind: 'error'; message: string }>({ kind: 'idle' });
  useEffect(() => setForm(initial), [initial]);
  const { input, errors } = quotaInput(form);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (Object.keys(errors).length) return;
    setState({ kind: 'saving' });
    try {
      await api.call('admission.setQuota', input);
      setState({ kind: 'saved' });
      setTouched(false);
      onSaved();
    } catch (err) {
      setState({ kind: 'error', message: errorText(err) });
    }
  };
  return (
    <form className="settings-form" onSubmit={(e) => void save(e)} data-testid="quota-form">
      {LABELS.map(([k, label, placeholder]) => (
        <label key={k}>
          {label}
          <span>
            <input value={form[k]} placeholder={placeholder} onChange={(e) => setForm({ ...form, [k]: e.target.value })} aria-invalid={touched && errors[k] ? true : undefined} data-testid={`quota-${k}`} />
            {touched && errors[k] && <small className="field-error">{errors[k]}</small>}
          </span>
        </label>
      ))}
      <FormActions label="Save quota" disabled={state.kind === 'saving'} testId="quota-save" note={state.kind === 'saved' && <span className="muted">Saved</span>} error={state.kind === 'error' ? state.message : undefined} />
    </form>
  );
}

/** Project quotas: what each project holds against its ceilings (a quota below usage is accepted and flagged), add, edit, remove. */
export function QuotaSettings() {
  const [quotas, setQuotas] = useState<ProjectQuotaView[]>();
  const [error, setError] = useState<string>();
  const [editing, setEditing] = useState<QuotaForm>(EMPTY_QUOTA);
  const load = useCallback(() => api.call('admission.quotas', {}).then((q) => (setQuotas(q), setError(undefined)), (e: unknown) => setError(errorText(e))), []);
  useEffect(() => {
    void load();
    return api.on('admission.audit', () => void load()); // an audit pass may flag a quota newly over
  }, [load]);
  const remove = async (project: string) => {
    try {
      await api.call('admission.removeQuota', { project });
      await load();
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <section className="card" data-testid="quota-settings">
      <h3>Project quotas</h3>
      {error && (
        <p className="inline-error" role="alert">
          {error}
        </p>
      )}
      {quotas?.length === 0 && <p className="empty">No project has a quota: each may use what the machine’s checks allow.</p>}
      {quotas && quotas.length > 0 && (
        <table className="table" data-testid="quota-table">
          <thead>
            <tr>
              <th>Project</th>
              <th>Containers</th>
              <th>Memory</th>
              <th>CPUs</th>
              <th>GPUs</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {quotas.map((q) => (
              <tr key={q.project} data-testid={`quota-row-${q.project}`} className={q.over.length ? 'error-row' : undefined}>
                <td>
                  {q.project}
                  {q.over.length > 0 && <small className="inline-error"> · over its quota ({q.over.join(', ')})</small>}
                </td>
                <td>{ceiling(q.containers, q.usage.containers)}</td>
                <td>{ceiling(q.memoryBytes, q.usage.memoryBytes, formatBytes)}</td>
                <td>{ceiling(q.cpus, q.usage.cpus)}</td>
                <td>{ceiling(q.gpus, q.usage.gpus)}</td>
                <td className="actions">
                  <button type="button" onClick={() => setEditing(quotaForm(q))}>
                    Edit
                  </button>
                  <button type="button" className="danger" onClick={() => void remove(q.project)} data-testid="quota-remove">
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h4>{editing.project ? `Quota of ${editing.project}` : 'Add a quota'}</h4>
      <QuotaEditor initial={editing} onSaved={() => void load()} />
      {editing.project && (
        <button type="button" onClick={() => setEditing(EMPTY_QUOTA)}>
          New quota instead
        </button>
      )}
    </section>
  );
}
