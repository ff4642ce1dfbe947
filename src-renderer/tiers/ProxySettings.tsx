import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import type { TierProxyStatus } from '@shared/contract';
import { api } from '../api';
import { CopyButton, selectText } from '../components/CopyButton';
import { FormActions } from '../components/FormActions';
import { errorText } from '../docker/format';
import { useLive } from '../store/live';
import { maskToken, proxyForm, proxyPatch, proxySettling, proxyStateText, type ProxyField, type ProxyForm } from './proxy-form';

/** How often, and how many times, the status is asked again while the listener catches up with a saved change. */
const SETTLE_POLL_MS = 300;
const SETTLE_POLLS = 20;

/**
 * Settings → Model proxy: the OpenAI-compatible proxy on 127.0.0.1 (setting `tiers.proxy`: on/off and
 * port), its address and Bearer token (masked until revealed, with Copy and "New token") or why it
 * does not listen, and the optimiser's schedule (`tiers.optimizeEveryMinutes`, 0: off).
 */
export function ProxySettings() {
  const tiers = useLive((s) => s.settings?.tiers);
  const initial = useMemo(() => (tiers ? proxyForm(tiers) : undefined), [tiers]);
  const [form, setForm] = useState<ProxyForm>();
  const [errors, setErrors] = useState<Partial<Record<ProxyField, string>>>({});
  const [saved, setSaved] = useState<{ kind: 'idle' | 'saving' | 'saved' } | { kind: 'error'; message: string }>({ kind: 'idle' });
  const [status, setStatus] = useState<TierProxyStatus>();
  const [statusError, setStatusError] = useState<string>();
  const [revealed, setRevealed] = useState(false);
  const [renewing, setRenewing] = useState<{ kind: 'idle' | 'running' | 'done' } | { kind: 'error'; message: string }>({ kind: 'idle' });
  const polls = useRef(0);
  const urlEl = useRef<HTMLElement>(null);

  const refresh = useCallback(() => {
    api.call('tiers.proxyStatus', {}).then(
      (s) => {
        setStatus(s);
        setStatusError(undefined);
      },
      (e: unknown) => setStatusError(errorText(e)),
    );
  }, []);
  useEffect(() => {
    if (initial) setForm(initial);
  }, [initial]);
  // Asked again whenever the settings change (here or elsewhere): the core then moves the listener.
  useEffect(() => {
    polls.current = 0;
    refresh();
  }, [tiers, refresh]);
  // The core applies a change after settings.update answers: ask again until the listener has caught up.
  useEffect(() => {
    if (!status || !proxySettling(status) || polls.current >= SETTLE_POLLS) return;
    polls.current += 1;
    const t = setTimeout(refresh, SETTLE_POLL_MS);
    return () => clearTimeout(t);
  }, [status, refresh]);

  if (!form || !initial) return <p className="muted">Loading settings…</p>;

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const { patch, errors: errs } = proxyPatch(form, initial);
    setErrors(errs);
    if (Object.keys(errs).length) return setSaved({ kind: 'idle' });
    setSaved({ kind: 'saving' });
    try {
      await api.call('settings.update', { patch: { tiers: patch } });
      setSaved({ kind: 'saved' });
    } catch (err) {
      setSaved({ kind: 'error', message: errorText(err) });
    }
  };
  const renew = async () => {
    setRenewing({ kind: 'running' });
    try {
      setStatus(await api.call('tiers.proxyNewToken', {}));
      setRevealed(false);
      setRenewing({ kind: 'done' });
    } catch (err) {
      setRenewing({ kind: 'error', message: errorText(err) });
    }
  };
  const field = (k: ProxyField) => ({
    value: form[k],
    onChange: (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value }),
    'aria-invalid': errors[k] ? true : undefined,
    inputMode: 'numeric' as const,
  });

  return (
    <section className="card" data-testid="proxy-settings">
      <h3>Model proxy</h3>
      <p className="muted">
        An OpenAI-compatible endpoint for the models on the Tiers page: a request names its model, which is woken first if it is not hot. It listens on 127.0.0.1 only and
        answers requests that send the token as <span className="mono">Authorization: Bearer</span>.
      </p>
      <form className="settings-form" onSubmit={(e) => void save(e)}>
        <label>
          <span>
            <input type="checkbox" role="switch" checked={form.enabled} onChange={(e) => setForm({ ...form, enabled: e.target.checked })} data-testid="proxy-enabled" /> Run the
            model proxy
          </span>
        </label>
        <label>
          Port
          <span>
            <input {...field('port')} data-testid="proxy-port" />
            {errors.port && <small className="field-error">{errors.port}</small>}
          </span>
        </label>
        <label>
          Run the tier optimiser every (minutes, 0: off)
          <span>
            <input {...field('optimizeEveryMinutes')} data-testid="proxy-optimize-minutes" />
            {errors.optimizeEveryMinutes && <small className="field-error">{errors.optimizeEveryMinutes}</small>}
          </span>
        </label>
        <FormActions
          label="Save"
          disabled={saved.kind === 'saving'}
          testId="proxy-save"
          note={saved.kind === 'saved' && <span className="muted">Saved</span>}
          error={saved.kind === 'error' ? saved.message : undefined}
        />
      </form>
      {statusError && (
        <p className="inline-error" role="alert">
          The proxy's status cannot be read: {statusError}
        </p>
      )}
      {status && (
        <div className="proxy-status" data-testid="proxy-status">
          <p className={status.error ? 'inline-error' : 'muted'} role={status.error ? 'alert' : undefined} data-testid="proxy-state">
            {proxyStateText(status)}
          </p>
          {status.url && (
            <div className="toolbar">
              <span>Base URL</span>
              <span ref={urlEl} className="mono" data-testid="proxy-url">
                {status.url}
              </span>
              <CopyButton text={status.url} fallback={() => selectText(urlEl.current)} testId="proxy-url-copy" />
            </div>
          )}
          {status.token && (
            <div className="toolbar">
              <span>Token</span>
              <span className="mono" data-testid="proxy-token">
                {revealed ? status.token : maskToken(status.token)}
              </span>
              <button type="button" onClick={() => setRevealed(!revealed)} data-testid="proxy-token-reveal">
                {revealed ? 'Hide' : 'Reveal'}
              </button>
              <CopyButton
                text={status.token}
                fallback={() => {
                  setRevealed(true);
                  return 'Copying was refused: the token is shown now; select it and press Ctrl+C (⌘C).';
                }}
                testId="proxy-token-copy"
              />
            </div>
          )}
          <div className="form-actions">
            <button type="button" disabled={renewing.kind === 'running' || !status.offered} onClick={() => void renew()} data-testid="proxy-new-token">
              {renewing.kind === 'running' ? 'Making a new token…' : 'New token'}
            </button>
            <small className="muted">Clients still sending the old token are refused.</small>
            {renewing.kind === 'done' && <span className="muted">New token made.</span>}
            {renewing.kind === 'error' && (
              <span className="inline-error" role="alert">
                {renewing.message}
              </span>
            )}
          </div>
        </div>
      )}
    </section>
  );
}
