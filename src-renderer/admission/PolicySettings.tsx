import { useEffect, useState, type FormEvent } from 'react';
import { ADMISSION_CHECK_IDS, ADMISSION_MODES, type AdmissionMode } from '@shared/contract';
import { api } from '../api';
import { FormActions } from '../components/FormActions';
import { errorText } from '../docker/format';
import { applyPolicy, useAdmissionStore } from '../store/admission';
import { MODE_TEXT } from './decision';
import { policyForm, policyPatch, THRESHOLD_FIELDS, type PolicyForm } from './policy-form';

const CHECK_TEXT: Record<(typeof ADMISSION_CHECK_IDS)[number], string> = {
  memory_percent: 'Memory after launch',
  memory_free: 'Free memory after launch',
  cpu_percent: 'CPU',
  cpu_count: 'CPUs asked for',
  load: 'Load average',
  gpu_exists: 'GPUs exist',
  gpu_free: 'GPUs free',
  gpu_memory: 'GPU memory',
  disk_free: 'Free disk',
  quota_containers: 'Project quota: containers',
  quota_memory: 'Project quota: memory',
  quota_cpus: 'Project quota: CPUs',
  quota_gpus: 'Project quota: GPUs',
};

function ModeSelect({ value, onChange, inherit, testId }: { value: AdmissionMode | ''; onChange(v: AdmissionMode | ''): void; inherit?: string; testId?: string }) {
  return (
    <select value={value} onChange={(e) => onChange(e.target.value as AdmissionMode | '')} data-testid={testId}>
      {inherit !== undefined && <option value="">{inherit}</option>}
      {ADMISSION_MODES.map((m) => (
        <option key={m} value={m}>
          {MODE_TEXT[m]}
        </option>
      ))}
    </select>
  );
}

/** The admission policy: its mode (shown in the header), what a missing figure does, each check's own mode, and the thresholds. Saved with `admission.setPolicy` (journaled). */
export function PolicySettings() {
  const policy = useAdmissionStore((s) => s.policy);
  const [form, setForm] = useState<PolicyForm>();
  const [errors, setErrors] = useState<Partial<Record<string, string>>>({});
  const [state, setState] = useState<{ kind: 'idle' | 'saving' | 'saved' } | { kind: 'error'; message: string }>({ kind: 'idle' });
  useEffect(() => {
    if (policy) setForm(policyForm(policy));
  }, [policy]);
  if (!policy || !form) return <p className="muted">Loading the admission policy…</p>;

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const { patch, errors: errs } = policyPatch(form, policy);
    setErrors(errs);
    if (Object.keys(errs).length) return setState({ kind: 'idle' });
    setState({ kind: 'saving' });
    try {
      const next = await api.call('admission.setPolicy', { patch });
      useAdmissionStore.setState((s) => applyPolicy(s, next));
      setState({ kind: 'saved' });
    } catch (err) {
      setState({ kind: 'error', message: errorText(err) });
    }
  };
  const threshold = (k: keyof PolicyForm['thresholds'], v: string) => setForm({ ...form, thresholds: { ...form.thresholds, [k]: v } });
  return (
    <section className="card" data-testid="admission-settings">
      <h3>Admission control</h3>
      <form className="settings-form" onSubmit={(e) => void save(e)}>
        <label>
          Mode
          <ModeSelect value={form.mode} onChange={(v) => v && setForm({ ...form, mode: v })} testId="admission-settings-mode" />
        </label>
        <small className="muted field-hint">
          Enforce refuses a launch that breaks a check; dry run only reports (and reserves nothing); audit admits and records the violation.
        </small>
        <label>
          When a figure is missing (sampler not warm, nvidia-smi gone)
          <select value={form.unknown} onChange={(e) => setForm({ ...form, unknown: e.target.value as PolicyForm['unknown'] })}>
            <option value="refuse">refuse (under enforce)</option>
            <option value="warn">pass with a warning</option>
          </select>
        </label>
        {THRESHOLD_FIELDS.map(([k, label]) => (
          <label key={k}>
            {label}
            <span>
              <input value={form.thresholds[k]} onChange={(e) => threshold(k, e.target.value)} aria-invalid={errors[k] ? true : undefined} data-testid={`admission-threshold-${k}`} />
              {errors[k] && <small className="field-error">{errors[k]}</small>}
            </span>
          </label>
        ))}
        <details>
          <summary>Each check’s own mode</summary>
          {ADMISSION_CHECK_IDS.map((id) => (
            <label key={id}>
              {CHECK_TEXT[id]}
              <ModeSelect value={form.checks[id]} inherit={`as the policy (${MODE_TEXT[form.mode]})`} onChange={(v) => setForm({ ...form, checks: { ...form.checks, [id]: v } })} />
            </label>
          ))}
        </details>
        <FormActions
          label="Save"
          disabled={state.kind === 'saving'}
          note={state.kind === 'saved' && <span className="muted">Saved</span>}
          error={state.kind === 'error' ? state.message : Object.keys(errors).length ? 'Some values are not valid: see the fields above.' : undefined}
        />
        {policy.updatedAt && (
          <small className="muted">
            Last changed {new Date(policy.updatedAt).toLocaleString()}
            {policy.updatedBy && ` by ${policy.updatedBy}`}.
          </small>
        )}
      </form>
    </section>
  );
}
