import { useEffect, useMemo, useState, type FormEvent } from 'react';
import type { AdmissionDecision, ContainerDetail, LaunchInput, PullProgress } from '@shared/contract';
import { formatBytes } from '@shared/units';
import { api } from '../api';
import { errorText } from './format';
import { dangerousKey, EMPTY, FIELDS, NO_CONSENTS, toLaunch, type Consents, type Field, type Form } from './launch-form';
import { FormActions } from '../components/FormActions';
import { AdmissionPreview } from '../admission/AdmissionPreview';
import { AdmissionRefusal } from '../admission/AdmissionRefusal';
import { rejectedDecision } from '../admission/decision';
import { checkFromLaunch, type PullKnown } from '../admission/request';

const LABELS: Record<Field, [string, string]> = {
  image: ['Image', 'busybox:latest or nvcr.io/nvidia/pytorch:25.12-py3'],
  name: ['Name', 'optional'],
  project: ['Project', 'default'],
  cpus: ['CPUs', '2, 0.5 or 500m'],
  memory: ['Memory', '512m, 1g, 1.5GiB'],
  shmSize: ['Shared memory', '1g'],
  gpus: ['GPUs', 'all, 2, 0,1 or "device=0,1" (as after --gpus)'],
  ports: ['Ports', '8888:8888, 0:80 (0 = any free port)'],
  env: ['Environment', 'NAME=value, one a line'],
  volumes: ['Volumes', 'one a line, as after -v: /home/me/work:/workspace:ro,z\nC:\\Users\\me\\data:/data\nmodels:/models'],
  command: ['Command', "as in sh: python train.py --epochs 3 \\\n  --lr 1e-4, or sh -c 'echo hi'"],
  restart: ['Restart', ''],
  ipc: ['IPC', ''],
  ulimits: ['Ulimits', 'memlock=-1, stack=67108864'],
  runtime: ['Runtime', 'nvidia (Jetson)'],
};

// Shown under a field while it has no error: how the value is read.
const HINTS: Partial<Record<Field, string>> = {
  gpus: 'Read as docker reads --gpus: quote a field that holds commas, as in "device=0,1" or all,"capabilities=compute,utility".',
  volumes: 'One mount a line, read as docker reads -v; options after the second colon, comma-separated: ro, rw, z, Z, shared, rslave…, nocopy.',
  command: 'Split into words as sh does: quotes, backslash escapes and backslash-newline continuations; no pipes or $VARIABLES (wrap those in sh -c \'…\').',
};

/** Customise…: the form opened on a launch that is already planned (the catalog's), sent its own way. */
export interface LaunchPreset {
  title: string;
  /** The form's starting values and consents (formFromInput of the plan's launch). */
  initial: { form: Form; consents: Consents };
  /** Fields shown but not editable (the plan's own: its image, its name). */
  locked: readonly Field[];
  /** Sends the launch instead of containers.launch; rejects with the sentence to show. */
  launch: (input: LaunchInput) => Promise<ContainerDetail>;
  /** What the plan found of the pull (its image is locked): the admission preview counts it. */
  pull?: PullKnown;
}

export function LaunchForm({ onLaunched, preset }: { onLaunched: (id: string) => void; preset?: LaunchPreset }) {
  const start = preset?.initial ?? { form: EMPTY, consents: NO_CONSENTS };
  const [form, setForm] = useState<Form>(start.form);
  const [touched, setTouched] = useState<Set<Field>>(new Set());
  const [state, setState] = useState<{ kind: 'idle' | 'launching' } | { kind: 'error'; message: string; refusal?: AdmissionDecision }>({ kind: 'idle' });
  const [consents, setConsents] = useState<Consents>(start.consents);
  const { input, errors, dangerous } = useMemo(() => toLaunch(form, consents), [form, consents]);
  // Admission's live preview of this launch, from the fields the form accepts; none until something is filled in.
  const preview = useMemo(
    () => (form.image.trim() || form.memory.trim() || form.cpus.trim() || form.gpus.trim() ? checkFromLaunch(input, new Set(Object.keys(errors)), preset?.pull) : undefined),
    [form.image, form.memory, form.cpus, form.gpus, input, errors, preset?.pull],
  );
  const confirmed = dangerous.length > 0 && consents.allowedMounts === dangerousKey(dangerous);
  const [pull, setPull] = useState<PullProgress>();
  // A launch pulls a missing image first: show its progress while the request runs.
  useEffect(() => {
    if (state.kind !== 'launching') return setPull(undefined);
    return api.on('pull.progress', (p) => (p.ref === input.image || p.ref === `${input.image}:latest`) && setPull(p));
  }, [state.kind, input.image]);
  const set = (k: Field, v: string) => {
    setForm((f) => ({ ...f, [k]: v }));
    // An edit after a refusal: the live preview takes over from the refused request's checks.
    setState((st) => (st.kind === 'error' && st.refusal ? { kind: 'idle' } : st));
    setTouched((t) => new Set(t).add(k));
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(new Set(FIELDS));
    if (Object.keys(errors).length) return;
    setState({ kind: 'launching' });
    try {
      const c = await (preset ? preset.launch(input) : api.call('containers.launch', input));
      setState({ kind: 'idle' });
      setForm(start.form);
      setConsents(start.consents);
      setTouched(new Set());
      onLaunched(c.id);
    } catch (err) {
      setState({ kind: 'error', message: errorText(err), refusal: rejectedDecision(err) });
    }
  };
  const field = (k: Field) => {
    const [label, placeholder] = LABELS[k];
    const err = touched.has(k) ? errors[k] : undefined;
    const props = { id: `launch-${k}`, 'data-testid': `launch-${k}`, value: form[k], 'aria-invalid': err ? true : undefined, disabled: preset?.locked.includes(k) };
    return (
      <label key={k} className={`field field-${k}`}>
        <span>{label}</span>
        {k === 'restart' || k === 'ipc' ? (
          <select {...props} onChange={(e) => set(k, e.target.value)}>
            {(k === 'ipc' ? ['', 'private', 'shareable', 'host', 'none'] : ['no', 'always', 'unless-stopped', 'on-failure']).map((o) => (
              <option key={o} value={o}>
                {o || 'default'}
              </option>
            ))}
          </select>
        ) : k === 'env' || k === 'volumes' || k === 'command' ? (
          // Multi-line: a pasted command keeps its backslash-newline continuations, a mount list its lines.
          <textarea {...props} rows={k === 'env' ? 2 : 3} placeholder={placeholder} onChange={(e) => set(k, e.target.value)} />
        ) : (
          <input {...props} placeholder={placeholder} onChange={(e) => set(k, e.target.value)} />
        )}
        {err ? (
          <small className="field-error" data-testid={`launch-${k}-error`}>
            {err}
          </small>
        ) : (
          HINTS[k] && <small className="muted field-hint">{HINTS[k]}</small>
        )}
      </label>
    );
  };
  return (
    <form className="card launch-form" onSubmit={(e) => void submit(e)} data-testid="launch-form">
      <h3>{preset?.title ?? 'Launch a container'}</h3>
      <div className="launch-grid">{FIELDS.map(field)}</div>
      <label className="consent">
        <input type="checkbox" data-testid="launch-expose-ports" checked={consents.exposePorts} onChange={(e) => setConsents({ ...consents, exposePorts: e.target.checked })} />
        <span>
          Ports reachable from the network
          <small className="muted field-hint">
            {consents.exposePorts
              ? 'Published on every address of the engine’s host, as docker run -p does: anyone who can reach that machine can reach them (a notebook without a token runs their code).'
              : 'Off: published ports listen on 127.0.0.1, the engine’s host only. A port written with an address (0.0.0.0:8888:8888) keeps it.'}
          </small>
        </span>
      </label>
      {dangerous.length > 0 && (
        <div className="banner warning inline consent" data-testid="launch-dangerous-mounts" role="group" aria-label="Dangerous mounts">
          <p>These bind mounts hand the container the host:</p>
          <ul>
            {dangerous.map((d) => (
              <li key={d.mount}>
                <span className="mono">{d.mount}</span> exposes {d.risk}.
              </li>
            ))}
          </ul>
          <label>
            <input
              type="checkbox"
              data-testid="launch-allow-dangerous"
              checked={confirmed}
              onChange={(e) => setConsents({ ...consents, allowedMounts: e.target.checked ? dangerousKey(dangerous) : null })}
            />{' '}
            Allow dangerous mounts: I trust this image with {dangerous.length === 1 ? 'this mount' : 'these mounts'}
          </label>
        </div>
      )}
      {state.kind === 'error' && state.refusal ? <AdmissionRefusal decision={state.refusal} /> : <AdmissionPreview request={preview} />}
      <FormActions
        testId="launch-submit"
        label={state.kind === 'launching' ? 'Launching… (pulling if needed)' : 'Launch'}
        disabled={state.kind === 'launching' || !form.image.trim()}
        note={
          pull &&
          !pull.done && (
            <span className="muted" data-testid="launch-pull">
              pulling {pull.ref}: {formatBytes(pull.current)} of {formatBytes(pull.total)}
              {pull.warning && <span data-testid="launch-pull-warning"> · {pull.warning}</span>}
            </span>
          )
        }
        error={state.kind === 'error' && !state.refusal ? state.message : undefined}
      />
    </form>
  );
}
