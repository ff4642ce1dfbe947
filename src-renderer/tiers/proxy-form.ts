// Settings → Model proxy: the `tiers` settings → form strings and back to a `settings.update` patch
// of what changed (bounds from the contract's own schema), and how the proxy's status reads.
import type { SettingsPatch, TierProxyStatus, TiersSettings } from '@shared/contract';
import { tierProxySettingsSchema, tiersSettingsSchema } from '@shared/contract/settings';

export interface ProxyForm {
  enabled: boolean;
  /** The listener's port as typed. */
  port: string;
  /** Minutes between scheduled optimiser runs as typed; 0: off (the schedule does not run it). */
  optimizeEveryMinutes: string;
}
export type ProxyField = 'port' | 'optimizeEveryMinutes';
export type TiersPatch = NonNullable<SettingsPatch['tiers']>;

/** The stored `tiers` settings → the form. */
export function proxyForm(t: TiersSettings): ProxyForm {
  return { enabled: t.proxy.enabled, port: String(t.proxy.port), optimizeEveryMinutes: String(t.optimizeEveryMinutes) };
}

const PORT = tierProxySettingsSchema.shape.port;
const MINUTES = tiersSettingsSchema.shape.optimizeEveryMinutes;

/** A whole number within the schema's bounds, or the sentence saying why not. */
function wholeIn(text: string, schema: typeof PORT, what: string): { value: number } | { error: string } {
  const t = text.trim();
  const range = `from ${schema.minValue} to ${schema.maxValue}`;
  if (!/^\d+$/.test(t)) return { error: `"${t}" is not a whole number: ${what} is ${range}` };
  const n = Number(t);
  return schema.safeParse(n).success ? { value: n } : { error: `${what} is ${range}, not ${n}` };
}

/**
 * The form → the `tiers` patch of the fields changed from `initial` (the form as loaded): the switch,
 * the port (1024–65535) and the optimiser's minutes (0–1440, 0: off); one sentence per field refused.
 */
export function proxyPatch(form: ProxyForm, initial: ProxyForm): { patch: TiersPatch; errors: Partial<Record<ProxyField, string>> } {
  const errors: Partial<Record<ProxyField, string>> = {};
  const proxy: NonNullable<TiersPatch['proxy']> = {};
  const patch: TiersPatch = {};
  if (form.enabled !== initial.enabled) proxy.enabled = form.enabled;
  if (form.port.trim() !== initial.port.trim()) {
    const r = wholeIn(form.port, PORT, 'the port');
    if ('error' in r) errors.port = r.error;
    else proxy.port = r.value;
  }
  if (form.optimizeEveryMinutes.trim() !== initial.optimizeEveryMinutes.trim()) {
    const r = wholeIn(form.optimizeEveryMinutes, MINUTES, 'the interval in minutes');
    if ('error' in r) errors.optimizeEveryMinutes = r.error;
    else patch.optimizeEveryMinutes = r.value;
  }
  if (Object.keys(proxy).length) patch.proxy = proxy;
  return { patch, errors };
}

/** The token as shown until revealed: dots and its last four characters, enough to tell two tokens apart. */
export const maskToken = (token: string): string => `${'•'.repeat(12)}${token.slice(-4)}`;

/**
 * Whether the listener is still catching up with the setting (the core applies a change after
 * `settings.update` answers): it should listen and does not yet, should not and still does, or
 * listens on another port. A status with an error has settled (on the error).
 */
export function proxySettling(s: TierProxyStatus): boolean {
  if (!s.offered || s.error) return false;
  const want = s.enabled;
  if (want !== s.listening) return true;
  return s.listening && !(s.url ?? '').endsWith(`:${s.port}/v1`);
}

/** One line for the status: where it listens, or why not. */
export function proxyStateText(s: TierProxyStatus): string {
  if (!s.offered) return 'This core does not run the proxy (the desktop app and mlenv serve do).';
  if (s.error) return s.error;
  if (s.listening && s.url) return `Listening on ${s.url}`;
  if (proxySettling(s)) return s.enabled ? `Starting on port ${s.port}…` : 'Stopping…';
  return 'Off.';
}
