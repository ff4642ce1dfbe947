// The model proxy listener as the app runs it: on while the `tiers.proxy` setting enables it (moved to
// the new port when the setting changes), with a token kept in the secret store — made once, shown in
// Settings (tiers.proxyStatus), replaced by tiers.proxyNewToken. Only a core told to offer it (the
// desktop app, mlenv serve) listens; others only tell the status.
import type { TierProxySettings, TierProxyStatus } from '@shared/contract';
import { AppError } from '@shared/errors';
import type { SecretStore } from '../docker/secrets';
import { reportFailure, type Journal } from '../fire-and-forget';
import { newToken } from '../../serve/auth';
import type { SettingsSlice } from '../store/settings';
import { listenModelProxy, type ProxyListener } from './proxy-listener';

/** The secret store's key of the proxy's token. */
export const PROXY_TOKEN_KEY = 'tiers.proxy.token';

export interface ProxyServiceDeps {
  tiers: Parameters<typeof listenModelProxy>[0]['tiers'];
  secrets: Pick<SecretStore, 'get' | 'set'>;
  settings: SettingsSlice<TierProxySettings>;
  journal: Journal;
  /** A core that writes nothing: no token is made (status shows none until one exists). */
  readOnly?: boolean;
}

export function createProxyService(deps: ProxyServiceDeps) {
  let listener: ProxyListener | null = null;
  let error: string | null = null;
  let offered = false;
  let off: (() => void) | undefined;
  /** Changes are applied one after the other (a port changed twice quickly ends on the last). */
  let queue: Promise<void> = Promise.resolve();

  /** The token, made and stored the first time it is needed (null in a read-only core without one). */
  function token(): string | null {
    const kept = deps.secrets.get(PROXY_TOKEN_KEY);
    if (kept || deps.readOnly) return kept ?? null;
    const made = newToken();
    deps.secrets.set(PROXY_TOKEN_KEY, made);
    return made;
  }

  async function stop(): Promise<void> {
    if (!listener) return;
    const was = listener;
    listener = null;
    await was.close();
    deps.journal.record({ type: 'tier.proxy', details: { listening: false, port: was.port } });
  }

  /** Brings the listener in line with the setting: stopped, or listening on its port with the current token. */
  async function apply(restart = false): Promise<void> {
    const s = deps.settings.get();
    const want = offered && s.enabled;
    if (listener && (!want || restart || listener.port !== s.port)) await stop();
    if (!want) {
      error = null;
      return;
    }
    if (listener) return;
    try {
      const t = token();
      if (!t) throw new Error('no token could be made for it');
      listener = await listenModelProxy({ tiers: deps.tiers, port: s.port, token: t });
      error = null;
      deps.journal.record({ type: 'tier.proxy', details: { listening: true, port: listener.port } });
    } catch (e) {
      error = `the model proxy cannot listen: ${(e as Error).message}`;
      deps.journal.record({ type: 'tier.proxy', outcome: 'error', error, details: { listening: false, port: s.port } });
    }
  }

  /** Applies the setting after the changes before it; never rejects (a failure is journaled). */
  const enqueue = (restart = false): Promise<void> =>
    (queue = queue.then(() => apply(restart)).catch((e: unknown) => reportFailure(e, 'the model proxy listener', deps.journal)));

  /** What Settings shows: the setting, whether it listens (and where), the token, and why not when it should. */
  function status(): TierProxyStatus {
    const s = deps.settings.get();
    let t: string | null = null;
    let tokenError: string | null = null;
    try {
      t = token();
    } catch (e) {
      tokenError = `the secret store cannot keep the proxy's token: ${(e as Error).message}`;
    }
    return {
      enabled: s.enabled,
      port: s.port,
      offered,
      listening: listener !== null,
      url: listener?.url ?? null,
      token: t,
      error: error ?? tokenError,
    };
  }

  return {
    /** Offers the proxy: listens now when the setting enables it, and follows the setting from here on. Never rejects (a port taken is the status's error). */
    async start(): Promise<void> {
      offered = true;
      off ??= deps.settings.subscribe(() => void enqueue());
      await enqueue();
    },
    /** Stops listening and following the setting. */
    async dispose(): Promise<void> {
      offered = false;
      off?.();
      off = undefined;
      await enqueue();
    },
    status,
    /** Replaces the token (clients must be given the new one); a running listener takes it at once. */
    async newToken(): Promise<TierProxyStatus> {
      if (deps.readOnly) throw new AppError('UNSUPPORTED', 'the token can be replaced only while the desktop app or mlenv serve runs');
      deps.secrets.set(PROXY_TOKEN_KEY, newToken());
      deps.journal.record({ type: 'tier.proxy.token', details: { replaced: true } });
      await enqueue(true);
      return status();
    },
  };
}
export type ProxyService = ReturnType<typeof createProxyService>;
