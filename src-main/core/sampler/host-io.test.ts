import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tmpDataDir } from '../../test-support';
import { createHostIoReader, isWholeDisk, parseDiskstats, parseMounts, parseNetDev, rates } from './host-io';
import { createProcFile } from './proc-file';

const NETDEV = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo: 3864477     539    0    0    0     0          0         0  3864477     539    0    0    0     0       0          0
  eth0: 1000 10 0 0 0 0 0 0 2000 20 0 0 0 0 0 0
vethab12: 5 1 0 0 0 0 0 0 5 1 0 0 0 0 0 0`;
const DISKSTATS = ` 259       0 nvme0n1 100 0 2048 0 50 0 4096 0 0 0 0
 259       1 nvme0n1p1 90 0 2000 0 40 0 4000 0 0 0 0
   7       0 loop0 1 0 8 0 0 0 0 0 0 0 0`;

describe('host disks, network and temperature', () => {
  it('parses /proc/net/dev and /proc/diskstats counters', () => {
    expect(parseNetDev(NETDEV)).toEqual({ lo: [3864477, 3864477], eth0: [1000, 2000], vethab12: [5, 5] });
    expect(parseDiskstats(DISKSTATS).nvme0n1).toEqual([2048 * 512, 4096 * 512]);
  });

  it('counts whole disks only and turns counter deltas into per-second rates', () => {
    const blocks = new Set(['nvme0n1', 'loop0']);
    expect(isWholeDisk('nvme0n1', blocks)).toBe(true);
    expect(isWholeDisk('nvme0n1p1', blocks)).toBe(false);
    expect(isWholeDisk('loop0', blocks)).toBe(false);
    const r = rates({ eth0: [1000, 2000] }, { eth0: [3000, 2500], eth1: [1, 1] }, 2, () => true);
    expect(r).toEqual([{ name: 'eth0', a: 1000, b: 250 }]);
    expect(rates({ eth0: [5000, 0] }, { eth0: [10, 0] }, 1, () => true)[0]!.a).toBe(0); // counter reset, not negative
  });

  it('keeps real filesystems, one line per device', () => {
    const m = parseMounts(`/dev/vda / ext4 rw 0 0\nproc /proc proc rw 0 0\n/dev/vda /var/lib/docker ext4 rw 0 0\noverlay /x overlay rw 0 0\n/dev/sdb1 /mnt/my\\040data xfs rw 0 0`);
    expect(m).toEqual([
      { device: '/dev/vda', mount: '/', fsType: 'ext4' },
      { device: '/dev/sdb1', mount: '/mnt/my data', fsType: 'xfs' },
    ]);
  });

  it('reads a fake /proc and /sys: rates on the second tick, hottest CPU sensor', async () => {
    const root = tmpDataDir();
    const proc = path.join(root, 'proc');
    const sys = path.join(root, 'sys');
    for (const d of [proc, `${sys}/block/nvme0n1`, `${sys}/class/thermal/thermal_zone0`, `${sys}/class/thermal/thermal_zone1`]) mkdirSync(d, { recursive: true });
    writeFileSync(`${proc}/mounts`, '');
    mkdirSync(`${proc}/net`);
    writeFileSync(`${proc}/net/dev`, NETDEV);
    writeFileSync(`${proc}/diskstats`, DISKSTATS);
    writeFileSync(`${sys}/class/thermal/thermal_zone0/type`, 'x86_pkg_temp\n');
    writeFileSync(`${sys}/class/thermal/thermal_zone0/temp`, '61500\n');
    writeFileSync(`${sys}/class/thermal/thermal_zone1/type`, 'iwlwifi_1\n');
    writeFileSync(`${sys}/class/thermal/thermal_zone1/temp`, '99000\n');
    const io = createHostIoReader(proc, sys);
    const first = await io.sample();
    expect(first.diskIo).toBeNull();
    expect(first.cpuTemperatureC).toBe(61.5); // the wifi sensor is not a CPU
    await new Promise((r) => setTimeout(r, 50));
    writeFileSync(`${proc}/diskstats`, DISKSTATS.replace('nvme0n1 100 0 2048', 'nvme0n1 100 0 4096'));
    const second = await io.sample();
    expect(second.diskIo!.readBytesPerSec).toBeGreaterThan(0);
    expect(second.network!.map((n) => n.iface)).toEqual(['eth0']); // no loopback, no veth
  });

  it('reads this machine for real', async () => {
    const io = createHostIoReader();
    await io.sample();
    const s = await io.sample();
    expect(s.disks!.length).toBeGreaterThan(0);
    expect(s.disks![0]!.total).toBeGreaterThan(0);
    expect(s.diskIo).not.toBeNull();
  });

  it('a kept-open file reads fresh content each time, growing its buffer as needed', async () => {
    const f = path.join(tmpDataDir(), 'counter');
    writeFileSync(f, 'one');
    const pf = createProcFile(f, 4);
    expect(await pf.read()).toBe('one');
    writeFileSync(f, 'a much longer second content');
    expect(await pf.read()).toBe('a much longer second content');
    const stat = createProcFile('/proc/stat', 64);
    const a = await stat.read();
    expect(a.startsWith('cpu ')).toBe(true);
    expect(a.length).toBeGreaterThan(64);
    await pf.close();
    await stat.close();
  });
});
