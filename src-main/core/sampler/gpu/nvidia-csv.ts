// Pure parsing of `nvidia-smi --query-gpu=… --format=csv[,noheader][,nounits]` output.
// Any bracketed value ([N/A], [Not Supported], [Insufficient Permissions], …) is null, never 0.
import type { GpuSample } from '@shared/contract';

export interface GpuField {
  /** Names a driver may accept, preferred first; the first it accepts is queried. */
  names: string[];
  key: keyof GpuSample;
  kind: 'int' | 'num' | 'text' | 'hex';
  /** Required fields are in every driver we support; optional ones are probed first. */
  optional?: boolean;
}

export const GPU_FIELDS: GpuField[] = [
  { names: ['index'], key: 'index', kind: 'int' },
  { names: ['uuid'], key: 'uuid', kind: 'text' },
  { names: ['name'], key: 'name', kind: 'text' },
  { names: ['pci.bus_id'], key: 'busId', kind: 'text' },
  { names: ['driver_version'], key: 'driverVersion', kind: 'text' },
  { names: ['utilization.gpu'], key: 'utilizationGpu', kind: 'num' },
  { names: ['utilization.memory'], key: 'utilizationMemory', kind: 'num' },
  { names: ['memory.total'], key: 'memoryTotalMiB', kind: 'num' },
  { names: ['memory.used'], key: 'memoryUsedMiB', kind: 'num' },
  { names: ['memory.free'], key: 'memoryFreeMiB', kind: 'num' },
  { names: ['temperature.gpu'], key: 'temperatureC', kind: 'num' },
  { names: ['power.draw'], key: 'powerDrawW', kind: 'num' },
  { names: ['power.limit'], key: 'powerLimitW', kind: 'num' },
  { names: ['clocks.sm'], key: 'smClockMHz', kind: 'num' },
  { names: ['clocks.mem'], key: 'memClockMHz', kind: 'num' },
  { names: ['fan.speed'], key: 'fanPercent', kind: 'num', optional: true },
  { names: ['ecc.errors.uncorrected.volatile.total'], key: 'eccUncorrectedVolatile', kind: 'num', optional: true },
  { names: ['pcie.link.gen.gpucurrent', 'pcie.link.gen.current'], key: 'pcieLinkGen', kind: 'num', optional: true },
  { names: ['clocks_event_reasons.active', 'clocks_throttle_reasons.active'], key: 'throttleReasons', kind: 'hex', optional: true },
];

/** The names nvidia-smi prints in a header for the aliases we query (it canonicalises them). */
const CANONICAL: Record<string, string> = {
  'clocks.current.sm': 'clocks.sm',
  'clocks.current.memory': 'clocks.mem',
  gpu_uuid: 'uuid',
  gpu_name: 'name',
  gpu_bus_id: 'pci.bus_id',
};

/** Throttle / clock-event reason bits (nvml.h). */
export const THROTTLE_BITS: [number, string][] = [
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

export function decodeThrottle(hex: string): string[] | null {
  if (!/^0x[0-9a-f]+$/i.test(hex)) return null;
  const v = BigInt(hex);
  const out = THROTTLE_BITS.filter(([bit]) => (v & BigInt(bit)) !== 0n).map(([, name]) => name);
  const known = THROTTLE_BITS.reduce((a, [bit]) => a | BigInt(bit), 0n);
  if ((v & ~known) !== 0n) out.push(`Unknown(0x${(v & ~known).toString(16)})`);
  return out;
}

/** A value as printed, units stripped ("120.50 W" → "120.50"); null when bracketed. */
export function cleanValue(raw: string): string | null {
  const v = raw.trim();
  if (v.startsWith('[')) return null;
  return v;
}

function convert(field: GpuField, raw: string): unknown {
  const v = cleanValue(raw);
  if (v === null) return null;
  if (field.kind === 'text') return v;
  if (field.kind === 'hex') return decodeThrottle(v);
  const n = Number(v.replace(/\s*(%|MiB|W|MHz|C)$/, ''));
  return Number.isFinite(n) ? n : null;
}

const EMPTY: Omit<GpuSample, 'index' | 'uuid' | 'name'> = {
  busId: null, driverVersion: null, utilizationGpu: null, utilizationMemory: null, memoryTotalMiB: null, memoryUsedMiB: null,
  memoryFreeMiB: null, temperatureC: null, powerDrawW: null, powerLimitW: null, smClockMHz: null, memClockMHz: null,
  fanPercent: null, eccUncorrectedVolatile: null, pcieLinkGen: null, throttleReasons: null, processes: [],
};

/** One noheader line for `fields` (in query order) → a GPU, or undefined when the line does not fit. */
export function parseGpuLine(line: string, fields: GpuField[]): GpuSample | undefined {
  const values = line.split(', ');
  if (values.length !== fields.length) return undefined;
  const gpu: Record<string, unknown> = { ...EMPTY, processes: [] };
  fields.forEach((f, i) => (gpu[f.key] = convert(f, values[i]!)));
  if (typeof gpu.index !== 'number' || typeof gpu.uuid !== 'string') return undefined;
  if (typeof gpu.name !== 'string') gpu.name = `GPU ${gpu.index}`;
  return gpu as unknown as GpuSample;
}

/** A whole CSV: with a header (units allowed, aliases canonicalised) or without (then `fields` gives the order). */
export function parseGpuCsv(text: string, fields: GpuField[] = GPU_FIELDS): GpuSample[] {
  const lines = text.split('\n').map((l) => l.trimEnd()).filter(Boolean);
  let order = fields;
  if (lines[0] && /^[a-z_.]+( \[[^\]]+\])?(, [a-z_.]+( \[[^\]]+\])?)*$/i.test(lines[0]) && !/^\d/.test(lines[0])) {
    const header = lines.shift()!.split(', ').map((h) => h.replace(/ \[.*\]$/, ''));
    const byName = new Map(GPU_FIELDS.flatMap((f) => f.names.map((n) => [n, f] as const)));
    // A column we do not know is kept as a placeholder so the positions stay right.
    order = header.map((h) => byName.get(CANONICAL[h] ?? h) ?? { names: [h], key: 'processes', kind: 'text' });
    return lines.map((l) => parseGpuLine(l, order)).filter((g): g is GpuSample => !!g).map((g) => ({ ...g, processes: [] }));
  }
  return lines.map((l) => parseGpuLine(l, order)).filter((g): g is GpuSample => !!g);
}

export interface ComputeApp {
  pid: number;
  name: string | null;
  usedMiB: number | null;
  gpuUuid: string;
}

/** `--query-compute-apps=pid,process_name,used_gpu_memory,gpu_uuid --format=csv,noheader,nounits`. */
export function parseComputeApps(text: string): ComputeApp[] {
  const out: ComputeApp[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(', ');
    if (f.length !== 4 || !/^\d+$/.test(f[0]!)) continue;
    const used = cleanValue(f[2]!);
    out.push({ pid: Number(f[0]), name: cleanValue(f[1]!), usedMiB: used === null ? null : Number(used.replace(/\s*MiB$/, '')), gpuUuid: f[3]!.trim() });
  }
  return out;
}
