// The GPU throttle (clock event) reason bits, one table for the sampler (decoding nvidia-smi's
// clocks_event_reasons.active), the metrics store (the throttle_mask series) and the renderer (its marks).
// Bits and names as NVML defines them (nvml.h, nvmlClocksEventReason* / nvmlClocksThrottleReason*).

/** [bit, NVML name] for each reason nvidia-smi can report. */
export const THROTTLE_BITS: readonly (readonly [number, string])[] = [
  [0x1, 'GpuIdle'],
  [0x2, 'ApplicationsClocksSetting'],
  [0x4, 'SwPowerCap'],
  [0x8, 'HwSlowdown'],
  [0x10, 'SyncBoost'],
  [0x20, 'SwThermalSlowdown'],
  [0x40, 'HwThermalSlowdown'],
  [0x80, 'HwPowerBrakeSlowdown'],
  [0x100, 'DisplayClockSetting'],
];

/** The names of the reasons set in `mask` (a throttle_mask value), in bit order; unknown bits are left out. */
export const throttleNames = (mask: number): string[] => THROTTLE_BITS.filter(([bit]) => (mask & bit) !== 0).map(([, name]) => name);
