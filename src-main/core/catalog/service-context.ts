// What the catalog service's parts share: the stored catalog (seeded on first use), settings, the NGC
// and registry clients, the status, and the words a failure is shown in. Built once per service by
// createCatalogService; the parts (refresh, custom images, read paths) take it.
import type { Architecture, CatalogChanged, CatalogImage, CatalogRefreshProgress, CatalogSettings, CatalogStatus, JournalActor } from '@shared/contract';
import { AppError } from '@shared/errors';
import type { Bus } from '../bus';
import type { SecretStore } from '../docker/secrets';
import type { CatalogRepository, StoredCatalogImage } from '../store/catalog';
import type { EventLog } from '../store/events';
import type { RegistryLoginRepository } from '../store/registry-logins';
import type { SettingsSlice } from '../store/settings';
import { createAnswerCache } from './api-cache';
import { CatalogFetchError, type HttpOptions } from './http';
import { createNgcClient } from './ngc-client';
import { mirrorTarget, registryBaseUrl } from './reference';
import { createRegistryClient, type RegistryTarget } from './registry-client';
import { SEED_AS_OF, SEED_ENTRIES, SEED_VERSION, seedImage } from './seed';
import { hostArchitecture } from './traits';

/** The SecretStore key of the NGC API key. */
export const NGC_API_KEY_SECRET = 'ngc:api-key';

export const META = { seedVersion: 'seed_version', lastRefreshAt: 'last_refresh_at', failure: 'last_failure', retryNotBefore: 'retry_not_before' } as const;

export interface Failure {
  reason: string;
  at: number;
}

export interface CatalogServiceDeps {
  repository: CatalogRepository;
  events: Pick<EventLog, 'record'>;
  bus: Bus;
  secrets: SecretStore;
  logins: RegistryLoginRepository;
  settings: SettingsSlice<CatalogSettings>;
  /** A read-only core: nothing is seeded, fetched into the store or journaled. */
  readOnly?: boolean;
  /**
   * For a read-only core: a catalog repository of its own in memory (an empty database of the schema),
   * taken on first use when `repository` has no catalog rows (a data folder whose catalog was never
   * seeded), so that the shipped catalog is read from there and nothing is written to `repository`.
   */
  scratch?: () => CatalogRepository;
  /** ms since epoch (tests pass their own). */
  now?: () => number;
  /** This host's architecture (OCI name); default from process.arch. */
  hostArchitecture?: Architecture | null;
}

/** The shared state and helpers of one catalog service (see createCatalogService). */
export function createCatalogContext(deps: CatalogServiceDeps) {
  const { bus } = deps;
  /** The stored catalog; for a read-only core over a catalog never seeded, the shipped one in `deps.scratch` (ensureSeeded). */
  let repo = deps.repository;
  const now = deps.now ?? Date.now;
  const readOnly = deps.readOnly === true;
  const host = deps.hostArchitecture === undefined ? hostArchitecture() : deps.hostArchitecture;
  const abort = new AbortController();
  const settings = () => deps.settings.get();
  const ttlMs = () => settings().cacheTtlHours * 3_600_000;
  const http: HttpOptions = {
    get timeoutMs() {
      return settings().requestTimeoutMs;
    },
    signal: abort.signal,
    now,
  };
  const cache = createAnswerCache(repo.cache, now, readOnly);
  const apiKey = () => deps.secrets.get(NGC_API_KEY_SECRET) || undefined;
  const ngc = createNgcClient({ baseUrl: () => settings().ngcApiUrl, http, cache, ttlMs, apiKey });
  const registry = createRegistryClient({ http, cache, ttlMs });

  let progress: CatalogRefreshProgress | null = null;

  const meta = {
    number: (key: string): number | null => {
      const v = repo.meta.get(key);
      return v === undefined ? null : Number(v);
    },
    failure: (): Failure | null => {
      const v = repo.meta.get(META.failure);
      return v === undefined ? null : (JSON.parse(v) as Failure);
    },
  };

  let seeded = false;
  /**
   * The first use after a first start (or a new shipped catalog) writes the seed rows; rows NGC or the
   * user wrote are left alone. On first use, not when the core is built: building a core writes nothing.
   * A read-only core writes no seed: where the stored catalog has no rows at all it reads the shipped
   * one from its scratch repository (in memory) instead; stored rows, even of an older seed, are read as they are.
   */
  function ensureSeeded(): void {
    if (seeded) return;
    seeded = true;
    if (readOnly) {
      if (!deps.scratch || repo.count() > 0) return;
      repo = deps.scratch();
    } else if (repo.meta.get(META.seedVersion) === SEED_VERSION) return;
    const t = now();
    repo.write(() => {
      repo.put([...SEED_ENTRIES.values()].filter((e) => (repo.get(e.resourceId)?.source ?? 'seed') === 'seed').map((e) => seedImage(e, t)));
      repo.meta.set(META.seedVersion, SEED_VERSION);
    });
  }

  function status(): CatalogStatus {
    ensureSeeded();
    const lastRefreshAt = meta.number(META.lastRefreshAt);
    const failure = meta.failure();
    const retryNotBefore = meta.number(META.retryNotBefore);
    return {
      dataSource: lastRefreshAt === null ? 'seed' : failure ? 'cache' : 'live',
      lastRefreshAt,
      offline: failure !== null,
      offlineReason: failure?.reason ?? null,
      offlineSince: failure?.at ?? null,
      dataAsOf: lastRefreshAt ?? SEED_AS_OF,
      stale: lastRefreshAt === null || now() - lastRefreshAt >= ttlMs(),
      retryNotBefore: retryNotBefore !== null && retryNotBefore > now() ? retryNotBefore : null,
      refresh: progress,
      images: repo.count(),
      apiKeySet: apiKey() !== undefined,
    };
  }
  const emitStatus = () => bus.emit('catalog.status', status());
  const changed = (reason: CatalogChanged['reason'], repositories: string[] = []) => bus.emit('catalog.changed', { reason, repositories });

  /** The NGC registry's images are pulled from the mirror when one is set. */
  const isNgcRegistry = (image: Pick<StoredCatalogImage, 'registry' | 'source'>) => image.registry === settings().registry;
  /** The repository path on its registry (the key without a registry host). */
  const pathOf = (image: Pick<StoredCatalogImage, 'repository' | 'registry'>) =>
    image.repository.startsWith(`${image.registry}/`) ? image.repository.slice(image.registry.length + 1) : image.repository;

  function pullName(image: Pick<StoredCatalogImage, 'repository' | 'registry' | 'source'>): string {
    const mirror = settings().registryMirror;
    const path = pathOf(image);
    if (mirror && isNgcRegistry(image)) return `${mirrorTarget(mirror).host}/${path}`;
    return `${image.registry}/${path}`;
  }
  const toContract = ({ tagsFetchedAt: _t, detailFetchedAt: _d, ...image }: StoredCatalogImage): CatalogImage => ({ ...image, pullName: pullName(image) });

  function mustGet(repository: string): StoredCatalogImage {
    ensureSeeded();
    const image = repo.get(repository);
    if (!image) throw new AppError('NOT_FOUND', `${repository} is not in the catalog; search for it with catalog search, or add it as a custom image.`);
    return image;
  }
  const refuseReadOnly = (what: string) => {
    if (readOnly) throw new AppError('UNSUPPORTED', `${what} needs the app's own core; this one only reads.`);
  };

  /** Where an image's registry API answers, and with whose sign-in (a stored registry login, or the NGC API key for nvcr.io). */
  function registryTarget(image: StoredCatalogImage): RegistryTarget {
    const s = settings();
    const login = (h: string) => {
      const row = deps.logins.get(h);
      const password = row ? deps.secrets.get(`registry:${h}`) : undefined;
      return row && password ? { username: row.username, password } : null;
    };
    if (isNgcRegistry(image) && s.registryMirror) {
      const m = mirrorTarget(s.registryMirror);
      return { host: m.host, baseUrl: m.baseUrl, credentials: login(m.host) };
    }
    if (isNgcRegistry(image)) {
      const key = apiKey();
      return { host: image.registry, baseUrl: registryBaseUrl(image.registry), credentials: login(image.registry) ?? (key ? { username: '$oauthtoken', password: key } : null) };
    }
    return { host: image.registry, baseUrl: registryBaseUrl(image.registry), credentials: login(image.registry) };
  }

  /** A failure in the words the user acts on: a refused sign-in says where to put the key or the login. */
  function explain(e: unknown, image?: StoredCatalogImage): string {
    if (e instanceof CatalogFetchError && e.kind === 'auth' && image) {
      if (isNgcRegistry(image) && !settings().registryMirror) {
        return `NGC sign-in required for ${image.repository}: store your NGC API key (nvapi-…) in Settings → Catalog, or run \`mlenv catalog api-key\`${apiKey() ? ' (the stored key was refused)' : ''}.`;
      }
      const t = registryTarget(image);
      return `Registry ${t.host} requires a sign-in for ${pathOf(image)}: add a login for ${t.host} in Settings → Registry credentials${t.credentials ? ' (the stored login was refused)' : ''}.`;
    }
    if (e instanceof CatalogFetchError) return e.message;
    return `the catalog could not be read: ${(e as Error)?.message ?? String(e)}`;
  }

  const journalFailure = (type: string, error: string, details: Record<string, unknown>, actor: JournalActor = 'app') => {
    if (!readOnly) deps.events.record({ type, ts: now(), actor, outcome: 'error', error, details });
  };

  return {
    deps,
    /** The stored catalog; read it anew each time (ensureSeeded may switch a read-only core to its scratch one). */
    get repo(): CatalogRepository {
      return repo;
    },
    now,
    readOnly,
    host,
    abort,
    settings,
    ttlMs,
    apiKey,
    ngc,
    registry,
    meta,
    /** Sets the refresh progress shown in the status (null when none runs). */
    setProgress(p: CatalogRefreshProgress | null): void {
      progress = p;
    },
    ensureSeeded,
    status,
    emitStatus,
    changed,
    isNgcRegistry,
    pathOf,
    pullName,
    toContract,
    mustGet,
    refuseReadOnly,
    registryTarget,
    explain,
    journalFailure,
  };
}
export type CatalogContext = ReturnType<typeof createCatalogContext>;
