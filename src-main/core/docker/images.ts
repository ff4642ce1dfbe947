// Images: list, remove, and pull with per-layer progress (streamed as `pull.progress`), using the
// stored registry login when there is one. Secrets are read from the SecretStore, never logged.
import type Docker from 'dockerode';
import type { ImageSummary, JournalActor, LayerProgress, PullProgress, RegistryLogin } from '@shared/contract';
import type { Bus } from '../bus';
import { onEngine, type EventLog } from '../store/events';
import type { RegistryLoginRepository } from '../store/registry-logins';
import type { Engine } from './engine-registry';
import { AppError } from '@shared/errors';
import { engineMessage, toAppError } from './errors';
import type { SecretStore } from './secrets';

/** NVIDIA's registry: its images need the NGC API key (user $oauthtoken). */
export const NGC_REGISTRY = 'nvcr.io';

/** "nvcr.io/nvidia/pytorch:1" → "nvcr.io"; "busybox" → "docker.io" (as the docker CLI decides). */
export function registryOf(ref: string): string {
  const first = ref.split('/')[0]!;
  return ref.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost') ? first : 'docker.io';
}

/** Adds ":latest" when no tag or digest is given, as the CLI does (dockerode would too, silently). */
export const withTag = (ref: string): string => (/(:[\w][\w.-]*|@sha256:[a-f0-9]+)$/.test(ref.split('/').pop()!) ? ref : `${ref}:latest`);

interface PullEvent {
  id?: string;
  status?: string;
  progressDetail?: { current?: number; total?: number };
  error?: string;
}

/** Folds Docker's pull messages into per-layer and total bytes; `engine` is the engine's id. Pure, for tests and the UI alike. */
export function createPullTracker(ref: string, engine: string) {
  const layers = new Map<string, LayerProgress>();
  let warning: string | undefined;
  return {
    /** A caveat every later snapshot carries (a login withheld from a plain-TCP engine). */
    warn(text: string) {
      warning = text;
    },
    /** Folds one message in; true when a layer appeared or changed status (a new phase, not only more bytes). */
    apply(e: PullEvent): boolean {
      if (!e.id || !e.status || e.id === ref.split(':').pop()) return false; // the "Pulling from …" line names the tag, not a layer
      if (/^(Pulling from|Digest|Status)/.test(e.status)) return false;
      const known = layers.get(e.id);
      const changed = known?.status !== e.status;
      const l = known ?? { id: e.id, status: e.status, current: null, total: null };
      l.status = e.status;
      const d = e.progressDetail;
      if (e.status === 'Downloading' && d?.total) {
        l.total = d.total;
        l.current = d.current ?? 0;
      } else if (/Download complete|Verifying Checksum|Extracting|Pull complete|Already exists/.test(e.status) && l.total !== null) {
        l.current = l.total;
      }
      layers.set(e.id, l);
      return changed;
    },
    snapshot(done: boolean, error?: string): PullProgress {
      const ls = [...layers.values()];
      const known = ls.filter((l) => l.total !== null);
      return {
        ref,
        engine,
        layers: ls.map((l) => ({ ...l })),
        current: known.reduce((s, l) => s + (l.current ?? 0), 0),
        total: known.reduce((s, l) => s + (l.total ?? 0), 0),
        done,
        ...(error ? { error } : {}),
        ...(warning ? { warning } : {}),
      };
    },
  };
}

export function createImages(opts: { logins: RegistryLoginRepository; bus: Bus; events: EventLog; secrets: SecretStore; progressEveryMs?: number }) {
  const every = opts.progressEveryMs ?? 100;

  function authFor(ref: string): Docker.AuthConfig | undefined {
    const registry = registryOf(ref);
    const row = opts.logins.get(registry);
    const password = row ? opts.secrets.get(`registry:${registry}`) : undefined;
    return row && password ? { username: row.username, password, serveraddress: registry } : undefined;
  }

  return {
    async list(engine: Engine): Promise<ImageSummary[]> {
      try {
        const images = await engine.docker.listImages();
        return images
          .map((i) => ({
            id: i.Id,
            tags: (i.RepoTags ?? []).filter((t) => t !== '<none>:<none>'),
            size: i.Size,
            created: i.Created * 1000,
            containers: i.Containers >= 0 ? i.Containers : null,
          }))
          .sort((a, b) => b.created - a.created);
      } catch (e) {
        throw toAppError(e, 'list images', engine.name);
      }
    },

    async remove(engine: Engine, ref: string, force: boolean): Promise<{ removed: string[] }> {
      try {
        const out = (await engine.docker.getImage(ref).remove({ force })) as { Untagged?: string; Deleted?: string }[];
        const removed = out.map((r) => r.Untagged ?? r.Deleted ?? '').filter(Boolean);
        opts.events.record({ type: 'image.remove', image: ref, ...onEngine(engine), actor: 'user', details: { removed, force } });
        return { removed };
      } catch (e) {
        const err = toAppError(e, `remove image ${ref}`, engine.name);
        opts.events.record({ type: 'image.remove', image: ref, ...onEngine(engine), actor: 'user', outcome: 'error', error: err.message });
        throw err;
      }
    },

    async exists(engine: Engine, ref: string): Promise<boolean> {
      try {
        await engine.docker.getImage(withTag(ref)).inspect();
        return true;
      } catch (e) {
        if ((e as { statusCode?: number }).statusCode === 404) return false;
        throw toAppError(e, `look up image ${ref}`, engine.name);
      }
    },

    /**
     * Pulls with progress events: at once when a layer changes status (a handful per layer), byte counts
     * within a status at most one every `progressEveryMs`, and the last. Every phase is seen however fast
     * the pull runs. The registry login is sent only to engines not reached over plain TCP: to one that
     * is (Engine.cleartext), the pull goes anonymous with `warning` set on every progress event, the
     * result and the journal row, except from nvcr.io, which is refused (UNSUPPORTED) since it needs the key.
     * `actor`: who asked (journaled on the image.pull row; a launch's pull carries the launch's actor).
     */
    async pull(engine: Engine, rawRef: string, actor: JournalActor = 'app'): Promise<PullProgress> {
      const ref = withTag(rawRef);
      const tracker = createPullTracker(ref, engine.id);
      const started = Date.now();
      let last = 0;
      const emit = (done: boolean, error?: string) => {
        const p = tracker.snapshot(done, error);
        opts.bus.emit('pull.progress', p);
        return p;
      };
      // A login crosses to the engine as the X-Registry-Auth header: never over plain TCP.
      const registry = registryOf(ref);
      let auth = authFor(ref);
      let warning: string | undefined;
      if (auth && engine.cleartext) {
        if (registry === NGC_REGISTRY) {
          const err = new AppError(
            'UNSUPPORTED',
            `pull ${ref}: engine ${engine.name} is reached over plain TCP without TLS, and nvcr.io needs your NGC API key, which would cross the network readable; add the engine with TLS or over SSH, or pull on its host`,
          );
          opts.events.record({ type: 'image.pull', actor, image: ref, ...onEngine(engine), outcome: 'error', error: err.message, details: { credentialsWithheld: registry } });
          throw err;
        }
        auth = undefined;
        warning = `pulled without your ${registry} login: engine ${engine.name} is reached over plain TCP without TLS, where the password would cross the network readable`;
        tracker.warn(warning);
      }
      try {
        const stream = (await engine.docker.pull(ref, auth ? { authconfig: auth } : {})) as NodeJS.ReadableStream;
        await new Promise<void>((resolve, reject) => {
          engine.docker.modem.followProgress(
            stream,
            (err: Error | null, output: PullEvent[]) => {
              const streamErr = output?.find((o) => o.error)?.error;
              if (err || streamErr) reject(err ?? Object.assign(new Error(streamErr), { statusCode: 500 }));
              else resolve();
            },
            (e: PullEvent) => {
              const phase = tracker.apply(e);
              const now = Date.now();
              if (phase || now - last >= every) {
                last = now;
                emit(false);
              }
            },
          );
        });
        const final = emit(true);
        opts.events.record({
          type: 'image.pull',
          actor,
          image: ref,
          ...onEngine(engine),
          details: { bytes: final.total, layers: final.layers.length, ms: Date.now() - started, ...(warning ? { credentialsWithheld: registry, warning } : {}) },
        });
        return final;
      } catch (e) {
        const base = toAppError(e, `pull ${ref}`, engine.name);
        const err = warning ? new AppError(base.code, `${base.message} (${warning})`, base.details) : base;
        emit(true, engineMessage(e));
        opts.events.record({ type: 'image.pull', actor, image: ref, ...onEngine(engine), outcome: 'error', error: err.message, ...(warning ? { details: { credentialsWithheld: registry } } : {}) });
        throw err;
      }
    },

    logins(): RegistryLogin[] {
      return opts.logins.list();
    },
    login(registry: string, username: string, secret: string): RegistryLogin {
      opts.secrets.set(`registry:${registry}`, secret);
      const login: RegistryLogin = { registry, username, updatedAt: Date.now() };
      opts.logins.save(login);
      opts.events.record({ type: 'registry.login', actor: 'user', details: { registry, username, store: opts.secrets.kind } });
      return login;
    },
    logout(registry: string): boolean {
      opts.secrets.delete(`registry:${registry}`);
      const removed = opts.logins.remove(registry);
      if (removed) opts.events.record({ type: 'registry.logout', actor: 'user', details: { registry } });
      return removed;
    },
  };
}
export type Images = ReturnType<typeof createImages>;
