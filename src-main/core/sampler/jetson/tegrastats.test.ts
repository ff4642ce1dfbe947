import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../../../test-support';
import { createTegrastatsSampler } from './tegrastats';
import { parseTegrastats } from './tegrastats-line';
import { parseEngineValue, parseRailValue } from './tegrastats-line';

// Each fixture file starts with a "#" line saying where its lines come from.
const FIXTURES = path.resolve(__dirname, '../fixtures');
const lines = (board: string) =>
  readFileSync(path.join(FIXTURES, 'tegrastats', `${board}.txt`), 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'));
const sample = (board: string, n = 0) => {
  const s = parseTegrastats(lines(board)[n]!);
  if (!s) throw new Error(`${board}[${n}] is not read as a sample`);
  return s;
};

describe('tegrastats: the public cases in fixtures/tegrastats (each file names its source)', () => {
  it('AGX Thor, JetPack 7.2: three-value rails, VIN is the board total, no GR3D_FREQ means GPU % unknown', () => {
    const s = sample('agx-thor-jp72');
    expect(s.rails).toEqual({
      VDD_GPU: { mW: 37528, avgmW: 37528, peakmW: 37528 },
      VDD_CPU_SOC_MSS: { mW: 18961, avgmW: 18961, peakmW: 18961 },
      VIN_SYS_5V0: { mW: 18331, avgmW: 18331, peakmW: 18331 },
      VIN: { mW: 87426, avgmW: 43713, peakmW: 87426 },
    });
    expect(s).toMatchObject({ totalPowerMw: 87426, totalPowerSource: 'input-rail', totalPowerRail: 'VIN' });
    expect(s.gpuPercent).toBeNull();
    expect(s.gpuMHz).toBeNull();
    expect(s.cpu).toHaveLength(14);
    expect(s.cpu.every((c) => c.mhz === 972)).toBe(true);
    expect(s.cpu.map((c) => c.percent)).toEqual([2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]);
    expect(s).toMatchObject({ ramUsedMiB: 36529, ramTotalMiB: 125749, swapUsedMiB: 11, swapTotalMiB: 4096 });
    expect(s.temperaturesC).toEqual({ cpu: 60.406, tj: 63.281, soc012: 58.468, gpu: 62.906, soc345: 63.281 });
  });

  it('AGX Xavier, JetPack 4.2: six rails without a unit; SYS5V is partial, so the total is the sum of all rails', () => {
    const s = sample('agx-xavier-jp42');
    expect(s.rails).toEqual({
      GPU: { mW: 463, avgmW: 463, peakmW: null },
      CPU: { mW: 618, avgmW: 618, peakmW: null },
      SOC: { mW: 2936, avgmW: 2936, peakmW: null },
      CV: { mW: 0, avgmW: 0, peakmW: null },
      VDDRQ: { mW: 309, avgmW: 309, peakmW: null },
      SYS5V: { mW: 3306, avgmW: 3306, peakmW: null },
    });
    expect(s).toMatchObject({ totalPowerMw: 7632, totalPowerSource: 'sum-of-rails', totalPowerRail: null });
    // "CPU 618/618" is a rail; the core list is the bracketed one
    expect(s.cpu).toEqual(Array.from({ length: 8 }, () => ({ percent: 0, mhz: 1190 })));
    expect(s).toMatchObject({ gpuPercent: 0, gpuMHz: null, emcPercent: 0, ramUsedMiB: 14700, swapTotalMiB: 8192 });
    expect(s.temperaturesC).toMatchObject({ AO: 30, GPU: 30.5, CPU: 31.5, thermal: 30.8, PMIC: 100 });
  });
});

describe('tegrastats: one line of each generation', () => {
  it('TX1, JetPack 3 (before the JetPack 4 format): one clock after the core list, EMC and GR3D without _FREQ', () => {
    const s = sample('tx1-jp3');
    expect(s.cpu).toEqual([17, 11, 65, 0].map((percent) => ({ percent, mhz: 1734 })));
    expect(s).toMatchObject({ emcPercent: 1, gpuPercent: 39, gpuMHz: 76, swapUsedMiB: 873, totalPowerMw: null, totalPowerSource: null });
  });

  it('TX1, JetPack 4: IRAM is not RAM; no rail printed means no total', () => {
    const s = sample('tx1-jp4');
    expect(s).toMatchObject({ ramUsedMiB: 388, ramTotalMiB: 3984, swapUsedMiB: null, gpuPercent: 41, gpuMHz: 998, emcPercent: 0 });
    expect(s.rails).toEqual({});
    expect(s).toMatchObject({ totalPowerMw: null, totalPowerSource: null, totalPowerRail: null });
    expect(s.engines.APE).toEqual({ off: false, percent: null, mhz: 25 });
  });

  it('TX2, JetPack 4: VDD_IN among six unitless rails is the input; MTS is read past', () => {
    const [a, b] = [sample('tx2-jp4', 0), sample('tx2-jp4', 1)];
    expect(a).toMatchObject({ totalPowerMw: 5297, totalPowerSource: 'input-rail', totalPowerRail: 'VDD_IN', gpuPercent: 0, gpuMHz: 114 });
    expect(Object.keys(a.rails)).toEqual(['VDD_SYS_GPU', 'VDD_SYS_SOC', 'VDD_4V0_WIFI', 'VDD_IN', 'VDD_SYS_CPU', 'VDD_SYS_DDR']);
    expect(Object.keys(a.engines)).toEqual(['EMC', 'GR3D', 'APE']); // nothing from "MTS fg 1% bg 1%"
    expect(b.rails.VDD_IN).toEqual({ mW: 3140, avgmW: 3208, peakmW: null });
    expect(b).toMatchObject({ totalPowerMw: 3140, emcPercent: 0, gpuMHz: null });
  });

  it('Nano, JetPack 4: POM_5V_IN is the input; cores off', () => {
    const [idle, busy] = [sample('nano-jp4', 0), sample('nano-jp4', 1)];
    expect(idle).toMatchObject({ totalPowerMw: 900, totalPowerSource: 'input-rail', totalPowerRail: 'POM_5V_IN' });
    expect(idle.rails.POM_5V_IN).toEqual({ mW: 900, avgmW: 943, peakmW: null });
    expect(busy.cpu).toEqual([{ percent: 12, mhz: 1479 }, { percent: null, mhz: null }, { percent: null, mhz: null }, { percent: 3, mhz: 1479 }]);
    expect(busy).toMatchObject({ emcPercent: 4, gpuPercent: 37, gpuMHz: 921, totalPowerMw: 2410 });
    expect(Object.keys(busy.rails)).toEqual(['POM_5V_IN', 'POM_5V_GPU', 'POM_5V_CPU']); // RAM/SWAP are not rails
  });

  it('Xavier NX, JetPack 5: VDD_IN in mW; a single GPC clock in brackets', () => {
    const s = sample('xavier-nx-jp5');
    expect(s).toMatchObject({ totalPowerMw: 5079, totalPowerSource: 'input-rail', totalPowerRail: 'VDD_IN', gpuPercent: 0, gpuMHz: 510 });
    expect(s.cpu.map((c) => c.percent)).toEqual([3, 7, 1, 0, null, null]);
    expect(s.cpu[3]).toEqual({ percent: 0, mhz: 1907 });
    expect(s.engines.VIC).toEqual({ off: false, percent: null, mhz: 601 });
  });

  it('Orin NX, JetPack 5: VDD_IN; GR3D2_FREQ is kept as its own engine, GPU % is GR3D', () => {
    const s = sample('orin-nx-jp5');
    expect(s).toMatchObject({ totalPowerMw: 4915, totalPowerSource: 'input-rail', gpuPercent: 0, gpuMHz: 305 });
    expect(s.engines.GR3D2).toEqual({ off: false, percent: 0, mhz: 0 });
    expect(s.cpu.filter((c) => c.percent === null)).toHaveLength(2);
    expect(s.temperaturesC).toMatchObject({ CV0: 42.718, tj: 46.968 });
  });

  it('AGX Orin, JetPack 5: VIN_SYS_5V0 is partial, so the total is the sum of the four rails; sensors at -256C are off', () => {
    const s = sample('agx-orin-jp5');
    expect(s).toMatchObject({ totalPowerMw: 2389 + 398 + 3826 + 503, totalPowerSource: 'sum-of-rails', totalPowerRail: null });
    expect(s.cpu.filter((c) => c.percent === null)).toHaveLength(4);
    expect(s.temperaturesC.CV0).toBeUndefined();
    expect(s).toMatchObject({ gpuPercent: 12, gpuMHz: 305, ramTotalMiB: 30536 });
    expect(s.engines.VIC).toEqual({ off: false, percent: null, mhz: 729 });
  });

  it('AGX Orin, JetPack 6: per-GPC clocks, two NC rails counted once each in the sum', () => {
    const s = sample('agx-orin-jp6');
    expect(s).toMatchObject({ gpuPercent: 0, gpuMHz: 0, totalPowerMw: 2340 + 390 + 4025 + 0 + 301 + 0, totalPowerSource: 'sum-of-rails' });
    expect(Object.keys(s.rails)).toEqual(['VDD_GPU_SOC', 'VDD_CPU_CV', 'VIN_SYS_5V0', 'NC', 'VDDQ_VDD2_1V8AO']);
    expect(Object.keys(s.temperaturesC)).toEqual(['CPU', 'Tboard', 'SOC2', 'Tdiode', 'SOC0', 'tj', 'SOC1']);
  });

  it('AGX Orin, L4T R36.4: busy NVENC and VIC, engines printed as off', () => {
    const [a, b] = [sample('agx-orin-r36.4', 0), sample('agx-orin-r36.4', 1)];
    expect(a.engines.NVENC).toEqual({ off: false, percent: 79, mhz: 166 });
    expect(a.engines.VIC).toEqual({ off: false, percent: 36, mhz: 115 });
    for (const e of ['NVDEC', 'NVJPG', 'NVJPG1', 'OFA', 'NVDLA0', 'NVDLA1', 'PVA0']) expect(a.engines[e]).toEqual({ off: true, percent: null, mhz: null });
    expect(a).toMatchObject({ totalPowerMw: 2412 + 1607 + 4707, totalPowerSource: 'sum-of-rails', emcPercent: 3 });
    expect(b.rails.VIN_SYS_5V0).toEqual({ mW: 4607, avgmW: 4657, peakmW: null });
    expect(b.totalPowerMw).toBe(2412 + 1607 + 4607);
  });

  it('AGX Orin, JetPack 7.2: GPU % with per-GPC clocks, two-value temperatures, three-value rails', () => {
    const s = sample('agx-orin-jp72');
    expect(s).toMatchObject({ gpuPercent: 12, gpuMHz: 1300, emcPercent: 3, swapUsedMiB: null, totalPowerMw: 5139 + 3268 + 5500, totalPowerSource: 'sum-of-rails' });
    expect(s.temperaturesC).toEqual({ cpu: 52.968, soc2: 48.406, soc0: 49.531, gpu: 47.625 });
    expect(s.rails.VDD_GPU_SOC).toEqual({ mW: 5139, avgmW: 5139, peakmW: 5139 });
    expect(s.engines.NVENC0).toEqual({ off: true, percent: null, mhz: null });
  });

  it('AGX Thor, L4T R38.4: no VIN rail, so a sum; GR3D clocks without a percentage leave GPU % unknown', () => {
    const s = sample('agx-thor-r38.4');
    expect(s).toMatchObject({ gpuPercent: null, gpuMHz: 0, totalPowerMw: 0 + 4165 + 4126, totalPowerSource: 'sum-of-rails', totalPowerRail: null });
    expect(s.engines.NVENC0).toEqual({ off: false, percent: null, mhz: 0 });
    expect(s.engines.VIC).toEqual({ off: true, percent: null, mhz: null });
    expect(s.cpu).toHaveLength(14);
  });

  it('Orin Nano, JetPack 6: VDD_IN in mW; GR3D without a clock', () => {
    const s = sample('orin-nano-jp6');
    expect(s).toMatchObject({ ramUsedMiB: 2272, ramTotalMiB: 7620, swapUsedMiB: 221, swapTotalMiB: 3810, gpuPercent: 0, gpuMHz: null, emcPercent: null });
    expect(s).toMatchObject({ totalPowerMw: 4673, totalPowerSource: 'input-rail', totalPowerRail: 'VDD_IN' });
    expect(s.cpu[1]).toEqual({ percent: 0, mhz: 1036 });
    expect(s.rails.VDD_CPU_GPU_CV).toEqual({ mW: 527, avgmW: 527, peakmW: null });
  });
});

describe('tegrastats grammar', () => {
  it('reads rails with one to three values, with or without mW, negative readings included', () => {
    expect(parseRailValue('37528mW/37528mW/37528mW')).toEqual({ mW: 37528, avgmW: 37528, peakmW: 37528 });
    expect(parseRailValue('900/943')).toEqual({ mW: 900, avgmW: 943, peakmW: null });
    expect(parseRailValue('5123mW')).toEqual({ mW: 5123, avgmW: null, peakmW: null });
    expect(parseRailValue('-120mW/-80mW')).toEqual({ mW: -120, avgmW: -80, peakmW: null });
    expect(parseRailValue('150')).toBeUndefined(); // "APE 150" is a clock
    expect(parseRailValue('12%')).toBeUndefined();
  });

  it('reads every engine form and nothing else', () => {
    expect(parseEngineValue('0%@[1300,1300]')).toEqual({ off: false, percent: 0, mhz: 1300 });
    expect(parseEngineValue('@[1000,1100,900]')).toEqual({ off: false, percent: null, mhz: 1100 });
    expect(parseEngineValue('@1866')).toEqual({ off: false, percent: null, mhz: 1866 });
    expect(parseEngineValue('37%@921')).toEqual({ off: false, percent: 37, mhz: 921 });
    expect(parseEngineValue('0%')).toEqual({ off: false, percent: 0, mhz: null });
    expect(parseEngineValue('off')).toEqual({ off: true, percent: null, mhz: null });
    expect(parseEngineValue('')).toBeUndefined();
    expect(parseEngineValue('@')).toBeUndefined();
    expect(parseEngineValue('12%@[1,x]')).toBeUndefined();
  });

  it('leaves out tokens it does not know instead of misreading them', () => {
    const s = parseTegrastats('RAM 100/200MB NEWTHING 1.5GHz/x lower 5% FOO bar@x VDD_IN -5mW/3mW GR3D_FREQ ??? EMC_FREQ 3%@800 weird@@1C')!;
    expect(s.rails).toEqual({ VDD_IN: { mW: -5, avgmW: 3, peakmW: null } });
    expect(s.engines).toEqual({ EMC: { off: false, percent: 3, mhz: 800 } });
    expect(s.temperaturesC).toEqual({});
    expect(s).toMatchObject({ gpuPercent: null, totalPowerMw: -5, totalPowerSource: 'input-rail' });
  });

  it('prefers VIN over VDD_IN over POM_5V_IN, wherever they stand in the line', () => {
    const s = parseTegrastats('RAM 1/2MB POM_5V_IN 10/10 VDD_IN 20/20 VIN 30mW/30mW')!;
    expect(s).toMatchObject({ totalPowerMw: 30, totalPowerRail: 'VIN' });
  });

  it('reads RAM and SWAP in GB and kB as MiB', () => {
    expect(parseTegrastats('RAM 2/4GB SWAP 512/1024kB')).toMatchObject({ ramUsedMiB: 2048, ramTotalMiB: 4096, swapUsedMiB: 0.5, swapTotalMiB: 1 });
  });

  it('ignores lines that are not samples', () => {
    expect(parseTegrastats('tegrastats: permission denied')).toBeUndefined();
    expect(parseTegrastats('')).toBeUndefined();
  });
});

describe('tegrastats process', () => {
  const env = (board: string) => ({ ...process.env, PATH: `${path.join(FIXTURES, 'bin')}:${process.env.PATH}`, MLENV_FAKE_JETSON: board });

  it('streams from the fixture tegrastats on PATH', async () => {
    const t = createTegrastatsSampler({ intervalMs: 100, env: env('nano-jp4') });
    t.start();
    try {
      await waitFor(() => t.latest(), 10_000, 'a tegrastats sample');
      expect(t.latest()?.ramTotalMiB).toBe(3964);
      expect(t.state().state).toBe('running');
    } finally {
      t.stop();
    }
  });

  it('the fixture tegrastats replays a case file from its first sample line, not its source comment', async () => {
    const child = spawn(path.join(FIXTURES, 'bin', 'tegrastats'), ['--interval', '60000'], { env: env('agx-thor-jp72') });
    try {
      const first = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('\n')) resolve(out.split('\n')[0]!);
        });
        child.on('error', reject);
        child.on('exit', (code) => reject(new Error(`fixture tegrastats exited ${code}`)));
      });
      expect(first).toBe(lines('agx-thor-jp72')[0]);
      expect(parseTegrastats(first)?.totalPowerMw).toBe(87426);
    } finally {
      child.kill();
    }
  });
});
