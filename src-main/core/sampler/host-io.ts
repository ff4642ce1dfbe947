// Disks, network and temperature straight from /proc and /sys: pure parsers plus a reader that
// keeps the previous counters for rates. Directory scans happen rarely, per-tick work is a few reads.
import { statfs } from 'node:fs/promises';
import { readdir, readFile } from 'node:fs/promises';
import type { DiskUsage, HostSample } from '@shared/contract';
import { createProcFile, type ProcFile } from './proc-file';

export interface IoCounters {
  /** name → [readBytes, writeBytes] or [rxBytes, txBytes] */
  [name: string]: [number, number];
}

/** `/proc/diskstats` → bytes read and written per device (sectors are 512 bytes whatever the disk). */
export function parseDiskstats(text: string): IoCounters {
  const out: IoCounters = {};
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10) continue;
    out[f[2]!] = [Number(f[5]) * 512, Number(f[9]) * 512];
  }
  return out;
}

/** `/proc/net/dev` → rx and tx bytes per interface. */
export function parseNetDev(text: string): IoCounters {
  const out: IoCounters = {};
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    const f = line.slice(colon + 1).trim().split(/\s+/).map(Number);
    if (f.length < 9 || !name) continue;
    out[name] = [f[0]!, f[8]!];
  }
  return out;
}

const REAL_FS = new Set(['ext2', 'ext3', 'ext4', 'xfs', 'btrfs', 'zfs', 'f2fs', 'vfat', 'exfat', 'ntfs', 'ntfs3', 'fuseblk', 'jfs', 'reiserfs', 'nfs', 'nfs4', 'cifs']);

/** `/proc/mounts` → the filesystems worth showing: real ones, one line per device, shortest mount first. */
export function parseMounts(text: string): { device: string; mount: string; fsType: string }[] {
  const seen = new Set<string>();
  const rows = text
    .split('\n')
    .map((l) => l.split(' '))
    .filter((f) => f.length >= 3 && REAL_FS.has(f[2]!))
    .map((f) => ({ device: f[0]!, mount: f[1]!.replace(/\\040/g, ' '), fsType: f[2]! }))
    .sort((a, b) => a.mount.length - b.mount.length);
  return rows.filter((r) => (seen.has(r.device) ? false : (seen.add(r.device), true)));
}

/** Whole disks only: partitions and stacked devices would count the same bytes twice. */
export const isWholeDisk = (name: string, blockDevices: Set<string>) =>
  blockDevices.has(name) && !/^(loop|ram|zram|dm-|md|sr|fd)/.test(name);

/** Per-second rates between two counter readings; counters that went backwards (reset) give 0. */
export function rates(prev: IoCounters | undefined, cur: IoCounters, dtSec: number, keep: (name: string) => boolean) {
  const out: { name: string; a: number; b: number }[] = [];
  if (!prev || dtSec <= 0) return out;
  for (const [name, [a, b]] of Object.entries(cur)) {
    const p = prev[name];
    if (!p || !keep(name)) continue;
    out.push({ name, a: Math.max(0, (a - p[0]) / dtSec), b: Math.max(0, (b - p[1]) / dtSec) });
  }
  return out;
}

const round = (n: number) => Math.round(n);

/** Temperature inputs worth reading: CPU/package zones and hwmon chips (millidegrees). */
async function findTemperatureFiles(sysRoot: string): Promise<string[]> {
  const files: string[] = [];
  const zones = await readdir(`${sysRoot}/class/thermal`).catch(() => [] as string[]);
  for (const z of zones.filter((n) => n.startsWith('thermal_zone'))) {
    const type = (await readFile(`${sysRoot}/class/thermal/${z}/type`, 'utf8').catch(() => '')).trim().toLowerCase();
    if (/cpu|pkg|x86|acpitz|soc|tj|k10|coretemp/.test(type)) files.push(`${sysRoot}/class/thermal/${z}/temp`);
  }
  const mons = await readdir(`${sysRoot}/class/hwmon`).catch(() => [] as string[]);
  for (const h of mons) {
    const name = (await readFile(`${sysRoot}/class/hwmon/${h}/name`, 'utf8').catch(() => '')).trim();
    if (!/coretemp|k10temp|zenpower|cpu_thermal|soc_thermal/.test(name)) continue;
    const inputs = (await readdir(`${sysRoot}/class/hwmon/${h}`).catch(() => [] as string[])).filter((f) => /^temp\d+_input$/.test(f));
    files.push(...inputs.map((f) => `${sysRoot}/class/hwmon/${h}/${f}`));
  }
  return files;
}

/** Reads disks, network and temperature; `sample()` is called once a tick. */
export function createHostIoReader(procRoot = '/proc', sysRoot = '/sys', statfsEveryTicks = 10) {
  let prevDisk: IoCounters | undefined;
  let prevNet: IoCounters | undefined;
  let prevTs = 0;
  let tick = 0;
  let blockDevices = new Set<string>();
  let tempFiles: ProcFile[] = [];
  const diskstats = createProcFile(`${procRoot}/diskstats`);
  const netdev = createProcFile(`${procRoot}/net/dev`);
  let disks: DiskUsage[] = [];

  async function refreshRare() {
    blockDevices = new Set(await readdir(`${sysRoot}/block`).catch(() => [] as string[]));
    await Promise.all(tempFiles.map((f) => f.close()));
    tempFiles = (await findTemperatureFiles(sysRoot)).map((f) => createProcFile(f, 64));
  }

  async function refreshDisks() {
    const mounts = parseMounts(await readFile(`${procRoot}/mounts`, 'utf8').catch(() => ''));
    const out: DiskUsage[] = [];
    for (const m of mounts) {
      try {
        const s = await statfs(m.mount);
        const total = s.blocks * s.bsize;
        const free = s.bavail * s.bsize;
        const used = total - s.bfree * s.bsize;
        // percent as df shows it: used ÷ (used + available to users)
        out.push({ ...m, total, used, free, percent: used + free > 0 ? Math.round((1000 * used) / (used + free)) / 10 : 0 });
      } catch {
        // unmounted between the read and the statfs, or not permitted: skip it this round
      }
    }
    disks = out;
  }

  return {
    async close() {
      await Promise.all([diskstats.close(), netdev.close(), ...tempFiles.map((f) => f.close())]);
    },
    async sample(): Promise<Pick<HostSample, 'disks' | 'diskIo' | 'network' | 'cpuTemperatureC'>> {
      if (tick % 60 === 0) await refreshRare();
      if (tick % statfsEveryTicks === 0) await refreshDisks();
      tick++;
      const now = Date.now();
      const [diskText, netText, temps] = await Promise.all([
        diskstats.read().catch(() => ''),
        netdev.read().catch(() => ''),
        Promise.all(tempFiles.map((f) => f.read().then(Number).catch(() => NaN))),
      ]);
      const dt = (now - prevTs) / 1000;
      const disk = parseDiskstats(diskText);
      const net = parseNetDev(netText);
      const diskRates = rates(prevDisk, disk, dt, (n) => isWholeDisk(n, blockDevices));
      const netRates = rates(prevNet, net, dt, (n) => n !== 'lo' && !n.startsWith('veth'));
      const firstTick = !prevDisk;
      prevDisk = disk;
      prevNet = net;
      prevTs = now;
      const valid = temps.filter((t) => Number.isFinite(t) && t > 0);
      return {
        disks,
        diskIo: firstTick
          ? null
          : { readBytesPerSec: round(diskRates.reduce((a, r) => a + r.a, 0)), writeBytesPerSec: round(diskRates.reduce((a, r) => a + r.b, 0)) },
        network: netRates.map((r) => ({ iface: r.name, rxBytesPerSec: round(r.a), txBytesPerSec: round(r.b) })),
        cpuTemperatureC: valid.length ? Math.round(Math.max(...valid) / 100) / 10 : null,
      };
    },
  };
}
