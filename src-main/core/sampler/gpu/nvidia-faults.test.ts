// GPU faults are news, not blanks: nvidia-smi's fault markers, its messages and the rounds of its
// stream, read line by line (pure, deterministic `now`). Inputs are the recorded cases in ../fixtures.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GpuFault, GpuSample } from '@shared/contract';
import { formatGpu } from '../../../cli/stats';
import { figuresOf as seriesFigures } from '../../store/metrics/series';
import { cellMarker, FIGURES, GPU_FIELDS, parseGpuCsv, parseGpuLine, parseGpuMessage, rowFault } from './nvidia-csv';
import { createNvidiaRounds } from './nvidia-rounds';

const DIR = path.resolve(__dirname, '../fixtures/nvidia-smi');
const raw = (name: string) => readFileSync(path.join(DIR, name), 'utf8');
/** A recorded CSV's rows (noheader, nounits, the GPU_FIELDS order), comments dropped. */
const rows = (name: string) => raw(name).split('\n').filter((l) => l && !l.startsWith('#'));
const figuresOf = (g: GpuSample) => Object.fromEntries(FIGURES.map((k) => [k, g[k]]));
const ALL_NULL = Object.fromEntries(FIGURES.map((k) => [k, null]));

describe('fault markers in a row (nvidia-smi prints NVML errors as [words])', () => {
  it('reads the requires-reset case: GPU 0 faulted in nvidia-smi words, its 0 MiB not read as empty', () => {
    const [g] = parseGpuCsv(raw('nvidia-smi-gpu-requires-reset.txt'));
    expect(g).toMatchObject({ index: 0, fault: { kind: 'fault', message: 'GPU requires reset' }, temperatureC: null, utilizationGpu: null, memoryUsedMiB: null });
  });

  it('reads the healthy peer of that GPU: 74 °C, 100 %, 80620 MiB, no fault', () => {
    const [g] = parseGpuCsv(raw('nvidia-smi-healthy-peer-of-reset.txt'));
    expect(g).toMatchObject({ index: 0, fault: null, temperatureC: 74, utilizationGpu: 100, memoryUsedMiB: 80620 });
  });

  it('[N/A], [Not Supported] and [Insufficient Permissions] are "not available" (null), not faults', () => {
    for (const marker of ['[N/A]', '[Not Supported]', '[Insufficient Permissions]']) {
      const line = rows('h100x2.csv')[0]!.replace(', 67, 612.34,', `, ${marker}, 612.34,`);
      const g = parseGpuLine(line, GPU_FIELDS)!;
      expect(g.temperatureC).toBeNull();
      expect(g.fault).toBeNull();
      expect(g.powerDrawW).toBe(612.34); // the rest of the row stands
    }
  });

  it('any other marker is a fault of that GPU; [GPU is lost] makes it lost; every figure of a faulted row is null', () => {
    const base = rows('h100x2.csv')[0]!;
    const lost = parseGpuLine(base.replace(', 97, 41,', ', [GPU is lost], [GPU is lost],'), GPU_FIELDS)!;
    expect(lost.fault).toEqual({ kind: 'lost', message: 'GPU is lost' });
    expect(figuresOf(lost)).toEqual(ALL_NULL); // its 81559 MiB total, 612 W… are not this GPU's state
    expect(lost).toMatchObject({ index: 0, uuid: 'GPU-3a1f9e02-4c11-4b8a-9e2d-7f6b1c0a55e1', name: 'NVIDIA H100 80GB HBM3', busId: '00000000:1B:00.0' });
    const unknown = parseGpuLine(base.replace(', 67, 612.34,', ', [Unknown Error], 612.34,'), GPU_FIELDS)!;
    expect(unknown.fault).toEqual({ kind: 'fault', message: 'Unknown Error' });
    expect(rowFault(['N/A', 'GPU requires reset', 'Unknown Error', 'GPU requires reset'])).toEqual({ kind: 'fault', message: 'GPU requires reset; Unknown Error' });
    expect(rowFault(['N/A', 'Not Supported'])).toBeNull();
    expect(cellMarker(' [GPU requires reset] ')).toBe('GPU requires reset');
    expect(cellMarker('0 MiB')).toBeNull();
  });

  it('a faulted row with the uuid unreadable is still a row of that index', () => {
    const g = parseGpuLine('1, [GPU is lost], [GPU is lost], [GPU is lost]', GPU_FIELDS.slice(0, 4))!;
    expect(g).toMatchObject({ index: 1, uuid: '', fault: { kind: 'lost', message: 'GPU is lost' } });
  });
});

describe('messages nvidia-smi prints instead of a row name their GPU', () => {
  it('the mid-stream case: index 1 and bus 0000:34:00.0 (as pci.bus_id prints it)', () => {
    expect(parseGpuMessage(raw('nvidia-smi-device-handle-error-mid-stream.txt'))).toEqual({
      text: 'Unable to determine the device handle for GPU1: 0000:34:00.0: Unknown Error', index: 1, busId: '00000000:34:00.0',
    });
  });

  it('the exit-15 case: bus id glued to "GPU", no index', () => {
    expect(parseGpuMessage(raw('nvidia-smi-device-handle-error-exit-15.txt'))).toMatchObject({ index: null, busId: '00000000:17:00.0' });
  });

  it('the other shapes of the reports: a space before the bus id, GPU is lost, infoROM; untied messages', () => {
    expect(parseGpuMessage('Unable to determine the device handle for GPU 0000:02:00.0: GPU is lost. Reboot the system to recover this GPU')).toMatchObject({ index: null, busId: '00000000:02:00.0' });
    expect(parseGpuMessage('Unable to determine the device handle for GPU 00000000:1B:00.0: Unknown Error')).toMatchObject({ index: null, busId: '00000000:1B:00.0' });
    expect(parseGpuMessage('WARNING: infoROM is corrupted at gpu 0000:0b:00.0')).toMatchObject({ index: null, busId: '00000000:0B:00.0' });
    expect(parseGpuMessage('Failed to initialize NVML: Unknown Error')).toMatchObject({ index: null, busId: null });
    expect(parseGpuMessage('No devices were found')).toMatchObject({ index: null, busId: null });
  });
});

describe('rounds of the -lms stream (line by line)', () => {
  const blackwell = rows('rtx-pro-6000x4.csv');
  const midStream = raw('nvidia-smi-device-handle-error-mid-stream.txt').trim();
  const make = () => {
    const told: { index: number; fault: GpuFault | null }[] = [];
    const r = createNvidiaRounds({ fields: GPU_FIELDS, staleMs: 5000, onFault: (g, fault) => told.push({ index: g.index, fault }) });
    return { r, told };
  };
  const byIndex = (gpus: GpuSample[]) => new Map(gpus.map((g) => [g.index, g]));

  it('a device-handle line makes that GPU lost at once, from the first round without it; the others keep updating', () => {
    const { r, told } = make();
    let now = 0;
    for (let round = 0; round < 2; round++) for (const l of blackwell) expect(r.line(l, (now += 10))).toBe(true);
    expect(r.gpus(now).map((g) => g.fault)).toEqual([null, null, null, null]);

    expect(r.line(midStream, (now += 10))).toBe(false); // first line of the first round without GPU 1
    const gpu1 = byIndex(r.gpus(now)).get(1)!;
    expect(gpu1.fault).toEqual({ kind: 'lost', message: 'Unable to determine the device handle for GPU1: 0000:34:00.0: Unknown Error' });
    expect(figuresOf(gpu1)).toEqual(ALL_NULL); // never its frozen last figures
    expect(gpu1).toMatchObject({ uuid: 'GPU-6a1c0f3e-2b4d-4e8f-9a10-b2c3d4e5f602', name: 'NVIDIA RTX PRO 6000 Blackwell Workstation Edition', busId: '00000000:34:00.0' });

    for (let round = 0; round < 3; round++) {
      if (round) r.line(midStream, (now += 10));
      for (const l of [blackwell[0]!, blackwell[2]!, blackwell[3]!]) r.line(l.replace(', 2430, 14001,', `, ${2000 + round}, 14001,`), (now += 10));
      const gpus = byIndex(r.gpus(now));
      expect([...gpus.keys()]).toEqual([0, 1, 2, 3]); // lost, not gone
      expect(gpus.get(0)!.smClockMHz).toBe(2000 + round);
      expect(gpus.get(1)!.fault?.kind).toBe('lost');
    }
    // Told once, when the first round without it ended; not again at each round.
    expect(told).toEqual([{ index: 1, fault: { kind: 'lost', message: midStream } }]);

    for (const l of blackwell) r.line(l, (now += 10)); // GPU 1 is back
    r.line(blackwell[0]!, (now += 10)); // …and the round it came back in has ended
    expect(byIndex(r.gpus(now)).get(1)).toMatchObject({ fault: null, temperatureC: 73 });
    expect(told.at(-1)).toEqual({ index: 1, fault: null });
  });

  it('a GPU that silently stops reporting is lost at the row that skips its index, or when the round ends', () => {
    const { r, told } = make();
    let now = 0;
    for (const l of blackwell) r.line(l, (now += 10));
    r.line(blackwell[0]!, (now += 10));
    r.line(blackwell[2]!, (now += 10)); // skips GPU 1
    expect(byIndex(r.gpus(now)).get(1)!.fault).toEqual({ kind: 'lost', message: 'nvidia-smi no longer reports this GPU' });
    r.line(blackwell[3]!, (now += 10));
    r.line(blackwell[0]!, (now += 10));
    r.line(blackwell[1]!, (now += 10));
    r.line(blackwell[2]!, (now += 10)); // GPU 3 missing: known only when the next round begins
    expect(byIndex(r.gpus(now)).get(3)!.fault).toBeNull();
    r.line(blackwell[0]!, (now += 10));
    expect(byIndex(r.gpus(now)).get(3)!.fault).toEqual({ kind: 'lost', message: 'nvidia-smi no longer reports this GPU' });
    expect(told.map((t) => [t.index, t.fault?.kind ?? null])).toContainEqual([3, 'lost']);
  });

  it('a stderr line never splits a round (it lands anywhere); a GPU that answers in the round keeps its row', () => {
    const { r } = make();
    let now = 0;
    for (const l of blackwell) r.line(l, (now += 10));
    r.line(blackwell[0]!, (now += 10));
    r.line(blackwell[1]!, (now += 10));
    r.line('Unable to determine the device handle for GPU1: 0000:34:00.0: Unknown Error', (now += 10), true);
    r.line(blackwell[2]!, (now += 10));
    r.line(blackwell[3]!, (now += 10));
    expect(r.gpus(now).map((g) => g.fault)).toEqual([null, null, null, null]);
  });

  it('a GPU named in a message but never reported is shown lost by what the message says of it', () => {
    const { r } = make();
    let now = 0;
    r.line(midStream, (now += 10));
    for (const l of [blackwell[0]!, blackwell[2]!, blackwell[3]!]) r.line(l, (now += 10));
    const gpu1 = byIndex(r.gpus(now)).get(1)!;
    expect(gpu1).toMatchObject({ uuid: '', name: 'GPU 1', busId: '00000000:34:00.0', fault: { kind: 'lost', message: midStream } });
    for (const l of blackwell) r.line(l, (now += 10)); // it reports: the placeholder gives way to the real GPU
    expect(r.gpus(now).map((g) => g.uuid)).toEqual(blackwell.map((l) => l.split(', ')[1]));
  });

  it('a loop that prints only an error ends each round at the repeat: every GPU lost with that line', () => {
    const { r } = make();
    let now = 0;
    for (const l of blackwell) r.line(l, (now += 10));
    r.line('Failed to initialize NVML: Unknown Error', (now += 10));
    r.line('Failed to initialize NVML: Unknown Error', (now += 10));
    r.line('Failed to initialize NVML: Unknown Error', (now += 10));
    expect(r.gpus(now).map((g) => g.fault)).toEqual(Array(4).fill({ kind: 'lost', message: 'Failed to initialize NVML: Unknown Error' }));
  });

  it('with headers (no noheader) each header ends a round; a one-word message is not a header', () => {
    const { r } = make();
    const header = GPU_FIELDS.map((f) => f.names[0]).join(', ');
    let now = 0;
    for (const l of [header, ...blackwell, header, blackwell[0]!, blackwell[1]!, blackwell[2]!]) r.line(l, (now += 10));
    expect(byIndex(r.gpus(now)).get(3)!.fault).toBeNull();
    expect(r.line(header, (now += 10))).toBe(false);
    expect(byIndex(r.gpus(now)).get(3)!.fault).toEqual({ kind: 'lost', message: 'nvidia-smi no longer reports this GPU' });
    r.line('Killed', (now += 10));
    expect(r.lastMessage).toBe('Killed');
  });

  it('a stream quiet for staleMs leaves no figures: every GPU lost, with how long', () => {
    const { r, told } = make();
    for (const l of blackwell) r.line(l, 1000);
    expect(r.gpus(6000).every((g) => g.fault === null)).toBe(true);
    const gpus = r.gpus(7000);
    expect(gpus.map((g) => g.fault)).toEqual(Array(4).fill({ kind: 'lost', message: 'nvidia-smi has printed nothing for 6 s' }));
    expect(gpus.every((g) => g.utilizationGpu === null)).toBe(true);
    expect(told).toHaveLength(4);
  });

  it('after a restart only GPUs of the new run show (figures are not carried over); one missing from its first round is lost', () => {
    const { r } = make();
    let now = 0;
    for (const l of blackwell) r.line(l, (now += 10));
    r.restart();
    expect(r.gpus(now)).toEqual([]);
    r.line(blackwell[0]!, (now += 10));
    expect(r.gpus(now).map((g) => g.index)).toEqual([0]);
    r.line(blackwell[2]!, (now += 10));
    r.line(blackwell[3]!, (now += 10));
    r.line(blackwell[0]!, (now += 10));
    expect(byIndex(r.gpus(now)).get(1)).toMatchObject({ fault: { kind: 'lost' }, utilizationGpu: null });
  });

  it('a faulted row stays faulted until a clean row of that GPU, then the fault clears', () => {
    const { r, told } = make();
    let now = 0;
    const reset = blackwell[0]!.replace(', 91, 47,', ', [GPU requires reset], [GPU requires reset],');
    for (const l of [reset, ...blackwell.slice(1), reset, ...blackwell.slice(1)]) r.line(l, (now += 10));
    expect(byIndex(r.gpus(now)).get(0)).toMatchObject({ fault: { kind: 'fault', message: 'GPU requires reset' }, memoryUsedMiB: null, memoryTotalMiB: null });
    for (const l of [...blackwell, blackwell[0]!]) r.line(l, (now += 10));
    expect(byIndex(r.gpus(now)).get(0)).toMatchObject({ fault: null, utilizationGpu: 91 });
    expect(told).toEqual([
      { index: 0, fault: { kind: 'fault', message: 'GPU requires reset' } },
      { index: 0, fault: null },
    ]);
  });
});

describe('mlenv stats shows the fault and unknown processes', () => {
  it('a lost GPU: its words, no figures; an unknown process list: why', () => {
    const [g] = parseGpuCsv(raw('nvidia-smi-gpu-requires-reset.txt'));
    const text = formatGpu({ ...g!, name: 'NVIDIA H100 80GB HBM3', processes: null, processesError: 'No devices were found' });
    expect(text).toBe('GPU 0: NVIDIA H100 80GB HBM3\n  FAULT: GPU requires reset\n  processes unknown: No devices were found');
    const [ok] = parseGpuCsv(rows('h100x2.csv').join('\n'));
    expect(formatGpu({ ...ok!, processes: null, processesError: 'Failed to initialize NVML: Unknown Error' }).split('\n').at(-1)).toBe('  processes unknown: Failed to initialize NVML: Unknown Error');
    expect(formatGpu({ ...ok!, processes: [] }).split('\n')).toHaveLength(6);
  });
});

describe('stored series of a faulted GPU and of unknown processes', () => {
  const host = { cpu: { percent: 5, perCore: [5], cores: 1 }, memory: { total: 100, used: 10, available: 90, percent: 10 }, swap: { total: 0, used: 0 }, load: [0, 0, 0] as [number, number, number] };
  const container = { ts: 1, id: 'c'.repeat(64), name: 'trainer', project: null, cpuPercent: 1, memoryUsed: 1, memoryLimit: null, memoryPercent: null, netRxBytesPerSec: null, netTxBytesPerSec: null, blockReadBytesPerSec: null, blockWriteBytesPerSec: null, pids: 1 };
  const names = (gpus: GpuSample[]) => new Map(seriesFigures({ ts: 1, host, gpus, containers: [container] }).map((f) => [f.name, f.value]));

  it('a faulted GPU stores nothing (a gap, never its 0 MiB); a container\'s VRAM is unknown while the process list is', () => {
    const [faulted] = parseGpuCsv(raw('nvidia-smi-gpu-requires-reset.txt'));
    const [healthy] = parseGpuCsv(rows('h100x2.csv').join('\n'));
    const unknown = names([{ ...faulted!, uuid: 'GPU-x', processes: [] }, { ...healthy!, processes: null, processesError: 'No devices were found' }]);
    expect([...unknown.keys()].filter((k) => k.startsWith('gpu:GPU-x:'))).toEqual([]);
    expect(unknown.has(`container:${container.id}:gpu_memory_used`)).toBe(false);
    const known = names([{ ...healthy!, processes: [] }]);
    expect(known.get(`container:${container.id}:gpu_memory_used`)).toBe(0); // none used is a real 0 when the list is known
  });
});
