import { useEffect, useMemo, useState, type FormEvent } from 'react';
import type { TierLimits } from '@shared/contract';
import { formatBytes } from '@shared/units';
import { api } from '../api';
import { FormActions } from '../components/FormActions';
import { errorText } from '../docker/format';
import { limitsForm, limitsPatch, type LimitsField, type LimitsForm } from './limits-form';

const FIELDS: [LimitsField, string, string][] = [
  ['ramBudgetBytes', 'RAM budget (hot + warm)', 'e.g. 16g'],
  ['swapBudgetBytes', 'Swap budget', 'e.g. 32g'],
  ['safetyMarginBytes', 'Safety margin kept free', 'e.g. 1g'],
  ['idleDemoteSeconds', 'Demote after idle (s)', 'never'],
];

/** The tier budgets, changed while running (`tiers.setLimits`: refused beyond what the host can give). */
export function LimitsEditor({ limits }: { limits: TierLimits }) {
  const initial = useMemo(() => limitsForm(limits), [limits]);
  const [form, setForm] = useState<LimitsForm>(initial);
  const [state, setState] = useState<{ kind: 'idle' | 'saving' | 'saved' } | { kind: 'error'; message: string }>({ kind: 'idle' });
  const [shown, setShown] = useState<Partial<Record<LimitsField, string>>>({});
  useEffect(() => setForm(initial), [initial]);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    const { patch, errors } = limitsPatch(form, initial);
    setShown(errors);
    if (Object.keys(errors).length) return;
    setState({ kind: 'saving' });
    try {
      await api.call('tiers.setLimits', { patch });
      setState({ kind: 'saved' });
    } catch (err) {
      setState({ kind: 'error', message: errorText(err) });
    }
  };
  return (
    <section className="card" data-testid="tier-limits">
      <h3>Limits</h3>
      <form className="settings-form" onSubmit={(e) => void save(e)}>
        {FIELDS.map(([k, label, placeholder]) => (
          <label key={k}>
            {label}
            <span>
              <input value={form[k]} placeholder={placeholder} onChange={(e) => setForm({ ...form, [k]: e.target.value })} aria-invalid={shown[k] ? true : undefined} data-testid={`limits-${k}`} />
              {shown[k] && <small className="field-error">{shown[k]}</small>}
              {!shown[k] && k !== 'idleDemoteSeconds' && <small className="muted field-hint">now {formatBytes(limits[k])}</small>}
            </span>
          </label>
        ))}
        <small className="muted">This host allows a RAM budget of at most {formatBytes(limits.maxRamBudgetBytes)} (physical memory minus the admission floor).</small>
        <FormActions label="Save limits" disabled={state.kind === 'saving'} testId="limits-save" note={state.kind === 'saved' && <span className="muted">Saved</span>} error={state.kind === 'error' ? state.message : undefined} />
      </form>
    </section>
  );
}
