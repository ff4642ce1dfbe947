// One line of `tegrastats` → a JetsonSample, read token by token (JetPack 4 to 7, Nano/TX1 to Thor).
//
// The grammar is NVIDIA's "tegrastats Utility" reference (Jetson Linux Developer Guide, "Reported
// Statistics") plus what each JetPack prints in practice:
//   [MM-DD-YYYY HH:MM:SS] RAM U/TMB (lfb NxZMB) [SWAP U/TMB (cached ZMB)] [IRAM U/TkB(lfb ZkB)]
//   CPU [X%@F,off,…]  or, before JetPack 4, cpu [X%,Y%,…]@F
//   NAME X%  NAME X%@F  NAME X%@[F,F,…]  NAME @[F,…]  NAME @F  NAME F  NAME off      (engines: EMC_FREQ, GR3D_FREQ, VIC, NVENC…)
//   MTS fg X% bg Y%
//   name@T.TC  or  name@T.TC/T.TC                                                   (temperatures, any case)
//   NAME C/A  NAME CmW/AmW  NAME CmW/AmW/PmW  NAME CmW                               (rails: current / average / peak, mW)
// A token the reader does not know is left out, never read as something else.
import type { JetsonEngine, JetsonRail, JetsonSample } from '@shared/contract';

/** The module's input rail, by name, in the order tried: VIN (Thor), VDD_IN (TX1, TX2, Xavier NX, Orin NX/Nano), POM_5V_IN (Nano). */
export const INPUT_RAILS = ['VIN', 'VDD_IN', 'POM_5V_IN'] as const;

const NAME = /^[A-Z][A-Z0-9_]*$/; // engines and rails are printed in upper case
const MEMORY = /^(\d+)\/(\d+)([kKMG])B/;
const ENGINE = /^(?:(\d+)%)?(?:@(\d+|\[\d+(?:,\d+)*\]))?$/;
const PLAIN_MHZ = /^\d+$/;
const NUM = '(-?\\d+(?:\\.\\d+)?)';
const RAIL = new RegExp(`^${NUM}(mW)?(?:/${NUM}(?:mW)?)?(?:/${NUM}(?:mW)?)?$`);
const TEMPERATURE = /^([A-Za-z][\w-]*)@(-?\d+(?:\.\d+)?)C(?:\/-?\d+(?:\.\d+)?C)?$/;
const CORE = /^(\d+)%(?:@(\d+))?$/;

const toMiB = (n: number, unit: string) => (unit === 'G' ? n * 1024 : unit === 'k' || unit === 'K' ? n / 1024 : n);

function memory(token: string | undefined): { used: number; total: number } | undefined {
  const m = token ? MEMORY.exec(token) : null;
  return m ? { used: toMiB(Number(m[1]), m[3]!), total: toMiB(Number(m[2]), m[3]!) } : undefined;
}

/** `12%@[1300,1300]`, `0%`, `@1866`, `729` or `off` → an engine reading; undefined when the value is none of these. */
export function parseEngineValue(value: string): JetsonEngine | undefined {
  if (value === 'off') return { off: true, percent: null, mhz: null };
  if (PLAIN_MHZ.test(value)) return { off: false, percent: null, mhz: Number(value) };
  const m = ENGINE.exec(value);
  if (!m || (m[1] === undefined && m[2] === undefined)) return undefined;
  const clocks = m[2] === undefined ? [] : m[2].replace(/[[\]]/g, '').split(',').map(Number);
  return { off: false, percent: m[1] === undefined ? null : Number(m[1]), mhz: clocks.length ? Math.max(...clocks) : null };
}

/** `37528mW/37528mW/37528mW`, `900/943` or `5123mW` → a rail; undefined otherwise (a bare number is a clock, not a rail). */
export function parseRailValue(value: string): JetsonRail | undefined {
  const m = RAIL.exec(value);
  if (!m || (m[2] === undefined && m[3] === undefined)) return undefined;
  return { mW: Number(m[1]), avgmW: m[3] === undefined ? null : Number(m[3]), peakmW: m[4] === undefined ? null : Number(m[4]) };
}

/** The inside of `CPU [...]`, with the clock printed after the bracket before JetPack 4 (`[17%,13%]@408`). */
function parseCores(list: string, sharedMhz: number | null): JetsonSample['cpu'] {
  return list
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean)
    .map((c) => {
      const m = CORE.exec(c);
      // "off" (the core is powered down) and anything unreadable are both unknown, never 0.
      return m ? { percent: Number(m[1]), mhz: m[2] !== undefined ? Number(m[2]) : sharedMhz } : { percent: null, mhz: null };
    });
}

/**
 * One tegrastats line → a sample; undefined when the line is not one (no `RAM U/TMB`).
 * Units: MiB, MHz, °C, mW. Total board power is the input rail where the line has one (VIN, VDD_IN,
 * POM_5V_IN), else the sum of every rail printed (AGX Xavier's SYS5V and AGX Orin's VIN_SYS_5V0 are
 * partial rails, not the board input); totalPowerSource says which.
 */
export function parseTegrastats(line: string): JetsonSample | undefined {
  const t = line.trim().split(/\s+/);
  let ram: { used: number; total: number } | undefined;
  let swap: { used: number; total: number } | undefined;
  let cpu: JetsonSample['cpu'] = [];
  const engines: Record<string, JetsonEngine> = {};
  const temperaturesC: Record<string, number> = {};
  const rails: Record<string, JetsonRail> = {};
  let railSum = 0;
  let railCount = 0;

  for (let i = 0; i < t.length; i++) {
    const tok = t[i]!;
    const next = t[i + 1];
    if (tok.startsWith('(')) {
      // (lfb 3x2MB), (cached 23MB): details of the figure before, not figures of their own
      while (i < t.length && !t[i]!.endsWith(')')) i++;
      continue;
    }
    if (tok === 'RAM' || tok === 'SWAP' || tok === 'IRAM') {
      const m = memory(next);
      if (!m) continue;
      if (tok === 'RAM') ram = m;
      else if (tok === 'SWAP') swap = m; // IRAM (video engine memory) is read past, not reported
      i++;
      if (next!.includes('(') && !next!.endsWith(')')) while (i + 1 < t.length && !t[i]!.endsWith(')')) i++; // "0/252kB(lfb 252kB)"
      continue;
    }
    if (/^cpu$/i.test(tok) && next?.startsWith('[')) {
      let list = next;
      i++;
      while (!list.includes(']') && i + 1 < t.length) list += t[++i]; // "[X%,Y%, , ]@Z" as the docs space it
      const close = list.indexOf(']');
      const shared = /^@(\d+)$/.exec(list.slice(close + 1));
      cpu = parseCores(list.slice(1, close), shared ? Number(shared[1]) : null);
      continue;
    }
    if (tok === 'MTS' && next === 'fg') {
      i += 4; // MTS fg X% bg Y%: Denver's foreground/background time, not reported
      continue;
    }
    const temp = TEMPERATURE.exec(tok);
    if (temp) {
      const c = Number(temp[2]);
      if (c > -40) temperaturesC[temp[1]!] = c; // tegrastats prints -256 for a sensor that is off
      continue;
    }
    if (!NAME.test(tok) || next === undefined) continue;
    const rail = parseRailValue(next);
    if (rail) {
      rails[tok] ??= rail; // AGX Orin prints "NC 0mW/0mW" (not connected) twice
      railSum += rail.mW;
      railCount++;
      i++;
      continue;
    }
    const engine = parseEngineValue(next);
    if (engine) {
      engines[tok.replace(/_FREQ$/, '')] = engine;
      i++;
    }
  }
  if (!ram) return undefined;

  const inputRail = INPUT_RAILS.find((r) => rails[r]) ?? null;
  const gr3d = engines.GR3D;
  return {
    ramUsedMiB: ram.used,
    ramTotalMiB: ram.total,
    swapUsedMiB: swap?.used ?? null,
    swapTotalMiB: swap?.total ?? null,
    cpu,
    emcPercent: engines.EMC?.percent ?? null,
    gpuPercent: gr3d?.percent ?? null,
    gpuMHz: gr3d?.mhz ?? null,
    engines,
    temperaturesC,
    rails,
    totalPowerMw: inputRail ? rails[inputRail]!.mW : railCount ? railSum : null,
    totalPowerSource: inputRail ? 'input-rail' : railCount ? 'sum-of-rails' : null,
    totalPowerRail: inputRail,
  };
}
