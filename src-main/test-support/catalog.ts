// Test support for the catalog: a catalog service over a real SQLite file in a temporary folder,
// with its clock, settings and host architecture given by the test, and catalog rows to write.
import path from 'node:path';
import { DEFAULT_SETTINGS, type CatalogSettings } from '@shared/contract';
import { createBus } from '../core/bus';
import { createCatalogService } from '../core/catalog/service';
import { createFileSecretStore } from '../core/docker/secrets';
import type { StoredCatalogImage } from '../core/store/catalog';
import { openDatabase } from '../core/store/db';
import { createEventLog } from '../core/store/events';
import { createRepositories } from '../core/store/repositories';
import { fixedSettings } from '../core/store/settings';

/** A catalog service on a fresh database in `dir`; `now` starts at `t0` and moves when the test sets `clock.t`. */
export function testCatalog(dir: string, t0: number, settings: Partial<CatalogSettings> = {}) {
  const db = openDatabase(dir);
  const repositories = createRepositories(db);
  const events = createEventLog(db, { coalesceMs: 0 });
  const bus = createBus();
  const secrets = createFileSecretStore(path.join(dir, 'secrets.json'));
  const clock = { t: t0 };
  const seen: { name: string; payload: unknown }[] = [];
  bus.onAny((name, payload) => seen.push({ name, payload }));
  const catalog = createCatalogService({
    repository: repositories.catalog,
    events,
    bus,
    secrets,
    logins: repositories.registryLogins,
    settings: fixedSettings({ ...DEFAULT_SETTINGS.catalog, requestTimeoutMs: 800, ...settings }),
    now: () => clock.t,
    hostArchitecture: 'amd64',
  });
  catalog.status(); // the first use seeds the shipped catalog, as the app's first request does
  return { db, repositories, events, bus, secrets, clock, catalog, seen, dir };
}

/** A catalog row with everything a test does not care about filled in. */
export function catalogEntry(repository: string, over: Partial<StoredCatalogImage> = {}): StoredCatalogImage {
  const name = repository.split('/').at(-1)!;
  return {
    repository,
    registry: 'nvcr.io',
    name,
    displayName: name,
    summary: '',
    description: '',
    publisher: null,
    org: repository.split('/')[0]!,
    team: null,
    categories: [],
    labels: [],
    source: 'ngc',
    gated: false,
    jupyterLab: false,
    framework: false,
    jetson: false,
    latestTag: null,
    compressedSize: null,
    sizeEstimated: false,
    updatedAt: null,
    updatedAtEstimated: false,
    architectures: ['amd64'],
    popularity: 0,
    logo: null,
    webUrl: null,
    versions: [],
    fetchedAt: 0,
    tagsFetchedAt: null,
    detailFetchedAt: null,
    ...over,
  };
}
