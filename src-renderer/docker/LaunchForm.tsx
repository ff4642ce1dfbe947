import { useEffect, useMemo, useState, type FormEvent } from 'react';
import type { PullProgress } from '@shared/contract';
import { formatBytes } from '@shared/units';
import { api } from '../api';
import { errorText } from './format';
import { dangerousKey, EMPTY, FIELDS, NO_CONSENTS, toLaunch, type Consents, type Field, type Form } from './launch-form';
import { FormActions } from '../components/FormActions';

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

export function LaunchForm({ onLaunched }: { onLaunched: (id: string) => void }) {
  const [form, setForm] = useState<Form>(EMPTY);
  const [touched, setTouched] = useState<Set<Field>>(new Set());
  const [state, setState] = useState<{ kind: 'idle' | 'launching' } | { kind: 'error'; message: string }>({ kind: 'idle' });
  const [consents, setConsents] = useState<Consents>(NO_CONSENTS);
  const { input, errors, dangerous } = useMemo(() => toLaunch(form, consents), [form, consents]);
  const confirmed = dangerous.length > 0 && consents.allowedMounts === dangerousKey(dangerous);
  const [pull, setPull] = useState<PullProgress>();
  // A launch pulls a missing image first: show its progress while the request runs.
  useEffect(() => {
    if (state.kind !== 'launching') return setPull(undefined);
    return api.on('pull.progress', (p) => (p.ref === input.image || p.ref === `${input.image}:latest`) && setPull(p));
  }, [state.kind, input.image]);
  const set = (k: Field, v: string) => {
    setForm((f) => ({ ...f, [k]: v }));
    setTouched((t) => new Set(t).add(k));
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(new Set(FIELDS));
    if (Object.keys(errors).length) return;
    setState({ kind: 'launching' });
    try {
      const c = await api.call('containers.launch', input);
      setState({ kind: 'idle' });
      setForm(EMPTY);
      setConsents(NO_CONSENTS);
      setTouched(new Set());
      onLaunched(c.id);
    } catch (err) {
      setState({ kind: 'error', message: errorText(err) });
    }
  };
  const field = (k: Field) => {
    const [label, placeholder] = LABELS[k];
    const err = touched.has(k) ? errors[k] : undefined;
    const props = { id: `launch-${k}`, 'data-testid': `launch-${k}`, value: form[k], 'aria-invalid': err ? true : undefined };
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
      <h3>Launch a container</h3>
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
        error={state.kind === 'error' ? state.message : undefined}
      />
    </form>
  );
}
