import type { HealthSettings as HS } from '@shared/contract';
import { NumberSettings } from '../components/settings/NumberSettings';
import { useLive } from '../store/live';

const FIELDS = [
  ['memoryWarnPercent', 'Memory warning (% of limit)'],
  ['memoryCriticalPercent', 'Memory critical (% of limit)'],
  ['cpuWarnPercent', 'CPU warning (% of limit)'],
  ['cpuCriticalPercent', 'CPU critical (% of limit)'],
  ['restartsCritical', 'Restarts that make it critical'],
  ['restartWindowMinutes', '… within (minutes)'],
  ['probeTimeoutMs', 'Probe timeout (ms)'],
  ['checkIntervalSeconds', 'Check every (s)'],
  ['snapshotIntervalSeconds', 'Store health every (s)'],
  ['retentionDays', 'Keep health history (days)'],
] as const satisfies readonly (readonly [keyof HS, string])[];

/** Container health thresholds, probe timeout, cadence and retention. */
export function HealthSettings() {
  const values = useLive((s) => s.settings?.health);
  return <NumberSettings title="Container health" testId="health-settings" fields={FIELDS} values={values} patch={(health) => ({ health })} />;
}
