// Every repository over one database, for the wiring in core/app.ts: services get the repositories
// they use, never the database. The events repository (events.ts) is made on its own, since a
// read-only core wraps it (discardingJournal).
import type { Db } from './db';
import { createAdmissionRepository } from './admission';
import { createCatalogRepository } from './catalog';
import { createContainerRepository } from './containers';
import { createEngineRepository } from './engines';
import { createHealthSnapshotRepository } from './health-snapshots';
import { createLaunchPrefsRepository } from './launch-prefs';
import { createMetricsRepository } from './metrics';
import { createRegistryLoginRepository } from './registry-logins';
import { createSettingsRepository } from './settings-repository';
import { createTiersRepository } from './tiers';

export function createRepositories(db: Db) {
  return {
    containers: createContainerRepository(db),
    engines: createEngineRepository(db),
    registryLogins: createRegistryLoginRepository(db),
    healthSnapshots: createHealthSnapshotRepository(db),
    settings: createSettingsRepository(db),
    metrics: createMetricsRepository(db),
    admission: createAdmissionRepository(db),
    tiers: createTiersRepository(db),
    catalog: createCatalogRepository(db),
    launchPrefs: createLaunchPrefsRepository(db),
  };
}
export type Repositories = ReturnType<typeof createRepositories>;
