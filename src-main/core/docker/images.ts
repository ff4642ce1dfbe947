// Images: list, remove, and pull with per-layer progress (streamed as `pull.progress`), using the
// stored registry login when there is one. Secrets are read from the SecretStore, never logged.
import type Docker from 'dockerode';
import type { ImageSummary, LayerProgress, PullProgress, RegistryLogin } from '@shared/contract';
import type { Bus } from '../bus';
import type { Db } from '../store/db';
import type { EventLog } from '../store/events';
import type { Engine } from './engines';
import { engineMessage, toAppError } from './errors';
import type { SecretStore } from './secrets';

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

/** Folds Docker's pull messages into per-layer and total bytes. Pure, for tests and the UI alike. */
export function createPullTracker(ref: string, engine: string) {
  const layers = new Map<string, LayerProgress>();
  return {
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
      };
    },
  };
}

export function createImages(opts: { db: Db; bus: Bus; events: EventLog; secrets: SecretStore; progressEveryMs?: number }) {
  const every = opts.progressEveryMs ?? 100;

  function authFor(ref: string): Docker.AuthConfig | undefined {
    const registry = registryOf(ref);
    const row = opts.db.prepare('SELECT username FROM registry_logins WHERE registry = ?').get(registry) as { username: string } | undefined;
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
        opts.events.record({ type: 'image.remove', image: ref, engine: engine.name, actor: 'user', details: { removed, force } });
        return { removed };
      } catch (e) {
        const err = toAppError(e, `remove image ${ref}`, engine.name);
        opts.events.record({ type: 'image.remove', image: ref, engine: engine.name, actor: 'user', outcome: 'error', error: err.message });
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
     * the pull runs.
     */
    async pull(engine: Engine, rawRef: string): Promise<PullProgress> {
      const ref = withTag(rawRef);
      const tracker = createPullTracker(ref, engine.name);
      const started = Date.now();
      let last = 0;
      const emit = (done: boolean, error?: string) => {
        const p = tracker.snapshot(done, error);
        opts.bus.emit('pull.progress', p);
        return p;
      };
      try {
        const auth = authFor(ref);
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
        opts.events.record({ type: 'image.pull', image: ref, engine: engine.name, details: { bytes: final.total, layers: final.layers.length, ms: Date.now() - started } });
        return final;
      } catch (e) {
        const err = toAppError(e, `pull ${ref}`, engine.name);
        emit(true, engineMessage(e));
        opts.events.record({ type: 'image.pull', image: ref, engine: engine.name, outcome: 'error', error: err.message });
        throw err;
      }
    },

    logins(): RegistryLogin[] {
      return (opts.db.prepare('SELECT registry, username, updated_at AS updatedAt FROM registry_logins ORDER BY registry').all() as RegistryLogin[]);
    },
    login(registry: string, username: string, secret: string): RegistryLogin {
      opts.secrets.set(`registry:${registry}`, secret);
      const now = Date.now();
      opts.db
        .prepare('INSERT INTO registry_logins (registry, username, updated_at) VALUES (?, ?, ?) ON CONFLICT (registry) DO UPDATE SET username = excluded.username, updated_at = excluded.updated_at')
        .run(registry, username, now);
      opts.events.record({ type: 'registry.login', actor: 'user', details: { registry, username, store: opts.secrets.kind } });
      return { registry, username, updatedAt: now };
    },
    logout(registry: string): boolean {
      opts.secrets.delete(`registry:${registry}`);
      const removed = opts.db.prepare('DELETE FROM registry_logins WHERE registry = ?').run(registry).changes > 0;
      if (removed) opts.events.record({ type: 'registry.logout', actor: 'user', details: { registry } });
      return removed;
    },
  };
}
export type Images = ReturnType<typeof createImages>;
