import type { Thresholds } from '@shared/contract';
import { useLive } from '../../store/live';
import { NumberSettings } from './NumberSettings';

const FIELDS = [
  ['cpuWarnPercent', 'Host CPU warning (%)'],
  ['cpuCriticalPercent', 'Host CPU critical (%)'],
  ['memoryWarnPercent', 'Host memory warning (%)'],
  ['memoryCriticalPercent', 'Host memory critical (%)'],
  ['gpuTempWarnC', 'GPU temperature warning (°C)'],
  ['gpuTempCriticalC', 'GPU temperature critical (°C)'],
] as const satisfies readonly (readonly [keyof Thresholds, string])[];

/** The machine's alert thresholds: they colour the tray and the status badge, and mark the charts. */
export function ThresholdSettings() {
  const values = useLive((s) => s.settings?.thresholds);
  return <NumberSettings title="Machine alerts" testId="threshold-settings" fields={FIELDS} values={values} patch={(thresholds) => ({ thresholds })} />;
}
