// Where a CLI command's requests go: to the running app (the desktop app or `mlenv serve`) over its
// control socket when one answers, so the app that owns the engine and the database does the work and
// sees it at once; to a core of this process only when nothing runs. A read-only command's own core
// writes nothing (AppConfig.readOnly); a command that changes something owns the data folder while it
// runs (owner.ts), so no app starts under it.
import path from 'node:path';
import type { RequestInput, RequestName, RequestOutput } from '@shared/contract';
import type { Envelope } from '@shared/errors';
import { connectionContext } from '../connection';
import { createApp, type App } from '../core/app';
import { connectControl, type ControlClient } from '../core/control/client';
import { OwnerRefused } from '../core/owner';
import { defaultDataDir } from '../core/paths';
import { VERSION } from '../version';
import { UsageError } from './args';

export interface CliCore {
  /** The core of this process; undefined when the running app answers. */
  app?: App;
  /** One request; rejects with the error's sentence. `extraMs` lengthens the wait for an answer (a stop's own timeout). */
  call<N extends RequestName>(name: N, input: RequestInput<N>, extraMs?: number): Promise<RequestOutput<N>>;
  /** This command's events (the lines of a log follow it opened, what it subscribed to). */
  onEvent(fn: (name: string, payload: unknown) => void): () => void;
  /** Rejects with one sentence if the running app goes away while the command still needs it; never settles otherwise. */
  readonly lost: Promise<never>;
}

/** How long a call to the running app may go unanswered (MLENV_CONTROL_TIMEOUT_MS, default 30 s). */
export function controlTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.MLENV_CONTROL_TIMEOUT_MS;
  if (text === undefined || text === '') return 30_000;
  if (!/^[1-9]\d{0,8}$/.test(text)) throw new UsageError(`MLENV_CONTROL_TIMEOUT_MS=${text}: use a positive whole number of milliseconds`);
  return Number(text);
}

/** How long a command waits for the data folder while another command owns it, or an app is starting. */
const WAIT_FOR_OWNER_MS = 15_000;

export const resolveDataDir = (dataDir: string | undefined) => (dataDir ? path.resolve(dataDir) : defaultDataDir());

const valueOf = <T>(r: Envelope<unknown>): T => {
  if (!r.ok) throw new Error(r.error.message);
  return r.value as T;
};

/**
 * Runs `fn` against the running app when it answers, else against a core of this process, built
 * read-only when `readOnly` (then nothing is written) or as the data folder's owner for the length of
 * the command. Nothing is retried: a call the app did not answer fails with its sentence and the
 * command ends, so nothing is done twice.
 */
export async function withCore<T>(dataDir: string | undefined, opts: { command: string; readOnly: boolean }, fn: (core: CliCore) => Promise<T>): Promise<T> {
  const dir = resolveDataDir(dataDir);
  const timeoutMs = controlTimeoutMs();
  const deadline = Date.now() + WAIT_FOR_OWNER_MS;
  for (;;) {
    const client = await connectControl(dir, timeoutMs);
    if (client) return throughApp(client, timeoutMs, fn);
    let app: App;
    try {
      app = createApp(opts.readOnly ? { dataDir: dir, version: VERSION, readOnly: true } : { dataDir: dir, version: VERSION, persistMetrics: false, owner: { transport: 'command', command: opts.command } });
    } catch (e) {
      // An app that holds the folder but does not listen yet is starting; another command ends soon.
      if (!(e instanceof OwnerRefused) || Date.now() >= deadline) throw e;
      await new Promise((r) => setTimeout(r, 100));
      continue;
    }
    return embedded(app, fn);
  }
}

async function throughApp<T>(client: ControlClient, timeoutMs: number, fn: (core: CliCore) => Promise<T>): Promise<T> {
  const lost = client.ended.then((why) => Promise.reject(why));
  lost.catch(() => undefined); // only a command that waits on it (a follow) cares
  try {
    return await fn({
      call: async (name, input, extraMs = 0) => valueOf(await client.call(name, input, timeoutMs + extraMs)),
      onEvent: (f) => client.onEvent(f),
      lost,
    });
  } finally {
    client.close();
  }
}

async function embedded<T>(app: App, fn: (core: CliCore) => Promise<T>): Promise<T> {
  const listeners = new Set<(name: string, payload: unknown) => void>();
  // This command is the connection: the log follows it opens end with it.
  const ctx = connectionContext(
    app.bus,
    (name, payload) => {
      for (const l of listeners) l(name, payload);
    },
    'cli',
  );
  try {
    await app.engine.recheck();
    app.engine.stop(); // one look is enough for a one-shot command
    return await fn({
      app,
      call: async (name, input) => valueOf(await app.router.dispatch(name, input, ctx)),
      onEvent(f) {
        listeners.add(f);
        return () => listeners.delete(f);
      },
      lost: new Promise<never>(() => undefined),
    });
  } finally {
    ctx.close();
    await app.dispose();
  }
}
