import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTegrastatsSampler, parseTegrastats } from './tegrastats';

const FIXTURES = path.resolve(__dirname, '../fixtures');
const lines = (board: string) => readFileSync(path.join(FIXTURES, 'tegrastats', `${board}.txt`), 'utf8').split('\n').filter(Boolean);

describe('tegrastats lines', () => {
  it('JetPack 6 (Orin Nano): mW-suffixed rails, GR3D without frequency', () => {
    const s = parseTegrastats(lines('orin-nano-jp6')[0]!)!;
    expect(s).toMatchObject({ ramUsedMiB: 2272, ramTotalMiB: 7620, swapUsedMiB: 221, swapTotalMiB: 3810, gpuPercent: 0, gpuMHz: null, emcPercent: null, totalPowerMw: 4673 });
    expect(s.cpu).toHaveLength(6);
    expect(s.cpu[1]).toEqual({ percent: 0, mhz: 1036 });
    expect(s.temperaturesC).toMatchObject({ cpu: 54.937, gpu: 55.468, tj: 56.656 });
    expect(s.rails.VDD_CPU_GPU_CV).toEqual({ mW: 527, avgmW: 527 });
  });

  it('JetPack 4 (Nano): rails without a suffix, cores off, EMC and GR3D with frequency', () => {
    const [idle, busy] = lines('nano-jp4').map((l) => parseTegrastats(l)!);
    expect(idle!.totalPowerMw).toBe(900);
    expect(idle!.rails.POM_5V_CPU).toEqual({ mW: 123, avgmW: 123 });
    expect(busy!.cpu).toEqual([{ percent: 12, mhz: 1479 }, { percent: null, mhz: null }, { percent: null, mhz: null }, { percent: 3, mhz: 1479 }]);
    expect(busy).toMatchObject({ emcPercent: 4, gpuPercent: 37, gpuMHz: 921, totalPowerMw: 2410 });
    expect(busy!.temperaturesC.PMIC).toBe(100);
    expect(Object.keys(busy!.rails)).toEqual(['POM_5V_IN', 'POM_5V_GPU', 'POM_5V_CPU']); // RAM/SWAP are not rails
  });

  it('JetPack 5 (AGX Orin): total rail by the first name present, switched-off sensors left out', () => {
    const s = parseTegrastats(lines('agx-orin-jp5')[0]!)!;
    expect(s.totalPowerMw).toBe(3826); // VIN_SYS_5V0
    expect(s.cpu.filter((c) => c.percent === null)).toHaveLength(4);
    expect(s.temperaturesC.CV0).toBeUndefined(); // -256C: sensor off
    expect(s).toMatchObject({ gpuPercent: 12, gpuMHz: 305, ramTotalMiB: 30536 });
  });

  it('ignores lines that are not samples', () => {
    expect(parseTegrastats('tegrastats: permission denied')).toBeUndefined();
  });

  it('streams from the fixture tegrastats on PATH', async () => {
    const env = { ...process.env, PATH: `${path.join(FIXTURES, 'bin')}:${process.env.PATH}`, MLENV_FAKE_JETSON: 'nano-jp4' };
    const t = createTegrastatsSampler({ intervalMs: 100, env });
    t.start();
    try {
      const end = Date.now() + 5000;
      while (!t.latest() && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
      expect(t.latest()?.ramTotalMiB).toBe(3964);
      expect(t.state().state).toBe('running');
    } finally {
      t.stop();
    }
  });
});
