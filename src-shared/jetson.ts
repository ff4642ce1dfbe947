// How a Jetson sample's figures are worded, the same in the app and in `mlenv stats`.
import type { JetsonSample } from './contract';

/** What the total board power is: "input rail VIN", "sum of rails", or null when there is no total. */
export function totalPowerBasis(j: Pick<JetsonSample, 'totalPowerSource' | 'totalPowerRail'>): string | null {
  if (j.totalPowerSource === 'input-rail') return `input rail ${j.totalPowerRail ?? ''}`.trim();
  if (j.totalPowerSource === 'sum-of-rails') return 'sum of rails';
  return null;
}

/** Total board power as "87426 mW (input rail VIN)" or "7632 mW (sum of rails)"; "—" when tegrastats shows no rail. */
export function formatTotalPower(j: Pick<JetsonSample, 'totalPowerMw' | 'totalPowerSource' | 'totalPowerRail'>): string {
  if (j.totalPowerMw === null) return '—';
  const basis = totalPowerBasis(j);
  return basis ? `${j.totalPowerMw} mW (${basis})` : `${j.totalPowerMw} mW`;
}

/** Per core, "12 %" or "off" (tegrastats prints off for a core that is powered down). */
export const formatJetsonCores = (cpu: JetsonSample['cpu']): string[] => cpu.map((c) => (c.percent === null ? 'off' : `${c.percent} %`));
