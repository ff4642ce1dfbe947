import { EnginesSettings } from '../docker/EnginesSettings';
import { HealthSettings } from '../docker/HealthSettings';
import { RegistrySettings } from '../docker/RegistrySettings';
import { PolicySettings } from '../admission/PolicySettings';
import { QuotaSettings } from '../admission/QuotaSettings';
import { CatalogSettings } from '../catalog/CatalogSettings';
import { LaunchSettings } from '../catalog/LaunchSettings';
import { ProxySettings } from '../tiers/ProxySettings';
import { BackupSettings } from '../components/settings/BackupSettings';
import { JournalSettings } from '../components/settings/JournalSettings';
import { MetricsSettings } from '../components/settings/MetricsSettings';
import { ThresholdSettings } from '../components/settings/ThresholdSettings';

/** Settings: one section component per area (each area adds its own line here). */
export function Settings() {
  return (
    <div className="settings" data-testid="settings-page">
      <EnginesSettings />
      <RegistrySettings />
      <ThresholdSettings />
      <HealthSettings />
      <PolicySettings />
      <QuotaSettings />
      <CatalogSettings />
      <LaunchSettings />
      <ProxySettings />
      <MetricsSettings />
      <JournalSettings />
      <BackupSettings />
    </div>
  );
}
