// Test support for the catalog: a catalog service over a real SQLite file in a temporary folder,
// with its clock, settings and host architecture given by the test, and catalog rows to write.
import path from 'node:path';
import { DEFAULT_SETTINGS, type CatalogSettings } from '@shared/contract';
import { createBus } from '../core/bus';
import { createCatalogService } from '../core/catalog/service';
import { createFileSecretStore } from '../core/docker/secrets';
import { createScratchCatalogs, type StoredCatalogImage } from '../core/store/catalog';
import { openDatabase, openDatabaseForReading } from '../core/store/db';
import { createEventLog, discardingJournal } from '../core/store/events';
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

/**
 * The catalog service of a read-only core over `dir` (mlenv.db opened read-only, or an empty schema in
 * memory where there is no file), wired as app.ts wires it: the journal discards, and the shipped
 * catalog goes into a scratch database in memory when the stored catalog has no rows. Close with `close()`.
 */
export function readOnlyCatalog(dir: string, t0: number) {
  const db = openDatabaseForReading(dir);
  const repositories = createRepositories(db);
  const scratch = createScratchCatalogs();
  const catalog = createCatalogService({
    repository: repositories.catalog,
    events: discardingJournal(createEventLog(db)),
    bus: createBus(),
    secrets: createFileSecretStore(path.join(dir, 'secrets.json')),
    logins: repositories.registryLogins,
    settings: fixedSettings({ ...DEFAULT_SETTINGS.catalog }),
    readOnly: true,
    scratch: scratch.take,
    now: () => t0,
    hostArchitecture: 'amd64',
  });
  return {
    db,
    repositories,
    catalog,
    /** How many times the service took its scratch repository. */
    scratchTaken: scratch.taken,
    close() {
      db.close();
      scratch.close();
    },
  };
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
