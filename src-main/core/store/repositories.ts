// Every repository over one database, for the wiring in core/app.ts: services get the repositories
// they use, never the database. The events repository (events.ts) is made on its own, since a
// read-only core wraps it (discardingJournal).
import type { Db } from './db';
import { createContainerRepository } from './containers';
import { createEngineRepository } from './engines';
import { createHealthSnapshotRepository } from './health-snapshots';
import { createMetricsRepository } from './metrics';
import { createRegistryLoginRepository } from './registry-logins';
import { createSettingsRepository } from './settings-repository';

export function createRepositories(db: Db) {
  return {
    containers: createContainerRepository(db),
    engines: createEngineRepository(db),
    registryLogins: createRegistryLoginRepository(db),
    healthSnapshots: createHealthSnapshotRepository(db),
    settings: createSettingsRepository(db),
    metrics: createMetricsRepository(db),
  };
}
export type Repositories = ReturnType<typeof createRepositories>;
