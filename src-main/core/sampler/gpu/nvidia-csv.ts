// Pure parsing of `nvidia-smi --query-gpu=… --format=csv[,noheader][,nounits]` output.
// A bracketed cell is an NVML return in nvidia-smi's words (nvmlErrorString): "not available" ones are
// null, never 0; any other one is a fault of that GPU (see cellMarker, NOT_AVAILABLE).
import type { GpuFault, GpuSample } from '@shared/contract';
import { THROTTLE_BITS } from '@shared/throttle';
import { toolLine } from '../tool-line';

export interface GpuField {
  /** Names a driver may accept, preferred first; the first it accepts is queried. */
  names: string[];
  /** Where the value goes; null for a column we do not read (kept so the positions stay right). */
  key: keyof GpuSample | null;
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

export function decodeThrottle(hex: string): string[] | null {
  if (!/^0x[0-9a-f]+$/i.test(hex)) return null;
  const v = BigInt(hex);
  const out = THROTTLE_BITS.filter(([bit]) => (v & BigInt(bit)) !== 0n).map(([, name]) => name);
  const known = THROTTLE_BITS.reduce((a, [bit]) => a | BigInt(bit), 0n);
  if ((v & ~known) !== 0n) out.push(`Unknown(0x${(v & ~known).toString(16)})`);
  return out;
}

/**
 * NVML returns that mean "this GPU does not give this value", not "this GPU is broken":
 * N/A and Not Supported (no such sensor or feature on this board or driver), and Insufficient
 * Permissions: a permission matter of the user running nvidia-smi, not a GPU fault.
 */
export const NOT_AVAILABLE = new Set(['N/A', 'Not Supported', 'Insufficient Permissions']);

/** The words of a bracketed cell ("[GPU is lost]" → "GPU is lost"), or null for a value. */
export function cellMarker(raw: string): string | null {
  const m = /^\[(.*)\]$/.exec(raw.trim());
  return m ? m[1]!.trim() : null;
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
  if (field.kind === 'int') return Number.isInteger(n) ? n : null;
  return Number.isFinite(n) ? n : null;
}

/** The fault a row's markers tell, in nvidia-smi's words: "GPU is lost" makes it lost, any other fault marker a fault. */
export function rowFault(markers: string[]): GpuFault | null {
  const faults = [...new Set(markers.filter((m) => !NOT_AVAILABLE.has(m)))];
  if (!faults.length) return null;
  return { kind: faults.includes('GPU is lost') ? 'lost' : 'fault', message: toolLine(faults.join('; ')) };
}

/** The figures of a GPU sample: what a fault hides. Identity (index, uuid, name, busId, driverVersion) is kept. */
export const FIGURES = [
  'utilizationGpu', 'utilizationMemory', 'memoryTotalMiB', 'memoryUsedMiB', 'memoryFreeMiB', 'temperatureC', 'powerDrawW',
  'powerLimitW', 'smClockMHz', 'memClockMHz', 'fanPercent', 'eccUncorrectedVolatile', 'pcieLinkGen', 'throttleReasons',
] as const satisfies readonly (keyof GpuSample)[];

/** The sample with every figure null: a faulted or lost GPU is neither idle nor empty, it is unknown. */
export function withoutFigures(gpu: GpuSample, fault: GpuFault | null): GpuSample {
  const out: GpuSample = { ...gpu, fault };
  for (const k of FIGURES) out[k] = null;
  return out;
}

const EMPTY: Omit<GpuSample, 'index' | 'uuid' | 'name'> = {
  busId: null, driverVersion: null, utilizationGpu: null, utilizationMemory: null, memoryTotalMiB: null, memoryUsedMiB: null,
  memoryFreeMiB: null, temperatureC: null, powerDrawW: null, powerLimitW: null, smClockMHz: null, memClockMHz: null,
  fanPercent: null, eccUncorrectedVolatile: null, pcieLinkGen: null, throttleReasons: null, fault: null, processes: null, processesError: null,
};

/** A GPU known only by its identity, every figure null (e.g. one nvidia-smi names in an error but never reported). */
export function blankGpu(identity: Pick<GpuSample, 'index' | 'uuid' | 'name' | 'busId'>): GpuSample {
  return { ...EMPTY, ...identity };
}

/**
 * One row for `fields` (in query order) → a GPU, or undefined when the line is not a row (a message,
 * a header, a line of another shape). A row needs a whole-number index; its uuid is "" when the query
 * has no uuid column or the cell is bracketed (the caller knows the GPU by index). A row with a fault
 * marker ([GPU requires reset], [GPU is lost], [Unknown Error]…) has `fault` set and every figure null:
 * the cells the fault leaves readable (`0 MiB` next to `[GPU requires reset]`) are not this GPU's state.
 * Processes are not in a row: null.
 */
export function parseGpuLine(line: string, fields: GpuField[]): GpuSample | undefined {
  const values = line.split(', ');
  if (values.length !== fields.length) return undefined;
  const gpu: Record<string, unknown> = { ...EMPTY };
  const markers: string[] = [];
  fields.forEach((f, i) => {
    const raw = values[i]!;
    const marker = cellMarker(raw);
    if (marker !== null) markers.push(marker);
    if (f.key) gpu[f.key] = convert(f, raw);
  });
  if (typeof gpu.index !== 'number') return undefined;
  if (typeof gpu.uuid !== 'string') gpu.uuid = '';
  if (typeof gpu.name !== 'string') gpu.name = `GPU ${gpu.index}`;
  const fault = rowFault(markers);
  return fault ? withoutFigures(gpu as unknown as GpuSample, fault) : (gpu as unknown as GpuSample);
}

const HEADER = /^[a-z_.]+( \[[^\]]+\])?(, [a-z_.]+( \[[^\]]+\])?)*$/i;
/** A CSV header line (`index, uuid, utilization.gpu [%]`), which nvidia-smi prints without `noheader`. */
export const isHeader = (line: string) => HEADER.test(line) && !/^\d/.test(line);

/** A whole CSV: with a header (units allowed, aliases canonicalised) or without (then `fields` gives the order). */
export function parseGpuCsv(text: string, fields: GpuField[] = GPU_FIELDS): GpuSample[] {
  const lines = text.split('\n').map((l) => l.trimEnd()).filter(Boolean);
  let order = fields;
  if (lines[0] && isHeader(lines[0])) {
    const header = lines.shift()!.split(', ').map((h) => h.replace(/ \[.*\]$/, ''));
    const byName = new Map(GPU_FIELDS.flatMap((f) => f.names.map((n) => [n, f] as const)));
    order = header.map((h) => byName.get(CANONICAL[h] ?? h) ?? { names: [h], key: null, kind: 'text' });
  }
  return lines.map((l) => parseGpuLine(l, order)).filter((g): g is GpuSample => !!g);
}

/** A line nvidia-smi prints instead of a row, with the GPU it names, if any. */
export interface GpuMessage {
  text: string;
  /** From `GPU1:` / `GPU 1:` (newer drivers name the index before the bus id). */
  index: number | null;
  /** Normalised as nvidia-smi's pci.bus_id prints it: 8-digit domain, upper case ("00000000:34:00.0"). */
  busId: string | null;
}

const BUS_ID = /(?<![0-9a-f])([0-9a-f]{4,8}):([0-9a-f]{2}):([0-9a-f]{2})\.([0-7])\b/i;
/** "0000:34:00.0" and "00000000:34:00.0" are the same PCI address; pci.bus_id prints the second. */
export function normalizeBusId(text: string): string | null {
  const m = BUS_ID.exec(text);
  return m ? `${m[1]!.padStart(8, '0')}:${m[2]}:${m[3]}.${m[4]}`.toUpperCase() : null;
}

/**
 * Reads the GPU a message names, in the shapes nvidia-smi prints: `for GPU1: 0000:34:00.0: Unknown Error`
 * (index and bus id, recent drivers), `for GPU0000:17:00.0: Unknown Error` and `for GPU 0000:02:00.0: GPU is
 * lost. Reboot the system to recover this GPU` (bus id), `at gpu 0000:02:00.0` (infoROM warnings).
 * An index is read only as `GPU<n>:` followed by a space or the end, so `GPU 0000:02:00.0` is a bus id.
 */
export function parseGpuMessage(line: string): GpuMessage {
  const text = line.trim();
  const index = /\bGPU ?(\d+):(?=\s|$)/i.exec(text);
  return { text, index: index ? Number(index[1]) : null, busId: normalizeBusId(text) };
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
