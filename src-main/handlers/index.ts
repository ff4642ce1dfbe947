// The one map from the contract's request names to the services' plain methods, composed from one
// module per contract domain (src-shared/contract/<domain>.ts ↔ ./<domain>.ts). Services never
// see a request name; the router (src-main/router.ts) dispatches to what this returns.
import type { AppInfo, OverallStatus, Settings, SettingsPatch } from '@shared/contract';
import type { CatalogLauncher } from '../core/catalog/launch';
import type { CatalogService } from '../core/catalog/service';
import type { Admission } from '../core/admission/service';
import type { EngineMonitor } from '../core/docker/engine-monitor';
import type { DockerService } from '../core/docker/service';
import type { HealthService } from '../core/health/service';
import type { Lifecycle } from '../core/lifecycle/service';
import type { MetricsService } from '../core/metrics/service';
import type { Sampler } from '../core/sampler';
import type { BackupService } from '../core/store/backup-service';
import type { EventLog } from '../core/store/events';
import type { TierManager } from '../core/tiers/manager';
import type { ProxyService } from '../core/tiers/proxy-service';
import type { Handlers } from '../router';
import { admissionHandlers } from './admission';
import { appHandlers } from './app';
import { backupHandlers } from './backups';
import { catalogHandlers } from './catalog';
import { containerHandlers } from './containers';
import { engineHandlers } from './engines';
import { healthHandlers } from './health';
import { imageHandlers } from './images';
import { journalHandlers } from './journal';
import { launchHandlers } from './launch';
import { metricsHandlers } from './metrics';
import { settingsHandlers } from './settings';
import { statusHandlers } from './status';
import { subscriptionHandlers } from './subscriptions';
import { tiersHandlers } from './tiers';

/** What the handlers call: the core's services and the few answers the composition root keeps itself (core/app.ts). */
export interface HandlerServices {
  info(): AppInfo;
  settings: { get(): Settings };
  /** Stores a settings patch and tells the services that use it; returns the settings now in force. */
  applySettings(patch: SettingsPatch): Settings;
  getStatus(): OverallStatus;
  engine: EngineMonitor;
  docker: DockerService;
  lifecycle: Lifecycle;
  health: HealthService;
  backups: BackupService;
  events: Pick<EventLog, 'query'>;
  sampler: Sampler;
  metrics: MetricsService;
  admission: Admission;
  tiers: TierManager;
  /** The model proxy listener on 127.0.0.1 (setting tiers.proxy). */
  tierProxy: ProxyService;
  catalog: CatalogService;
  /** One-click launch from the catalog (plan, launch, recent launches). */
  launcher: CatalogLauncher;
}

/** Every request of the contract, mapped (the `Handlers` type fails to compile if one is missing). */
export function createHandlers(s: HandlerServices): Handlers {
  return {
    ...appHandlers(s),
    ...settingsHandlers(s),
    ...engineHandlers(s),
    ...containerHandlers(s),
    ...imageHandlers(s),
    ...journalHandlers(s),
    ...healthHandlers(s),
    ...metricsHandlers(s),
    ...statusHandlers(s),
    ...backupHandlers(s),
    ...admissionHandlers(s),
    ...catalogHandlers(s),
    ...launchHandlers(s),
    ...tiersHandlers(s),
    ...subscriptionHandlers,
  };
}
