// The cgroup and /proc grammars (kernel cgroup-v1/*.rst, cgroup-v2.rst "Interface Files", proc(5),
// cgroups(7)), each on the real contents in fixtures/ and on the cases the grammar allows.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  flatKeyedGet,
  freezerStateV2,
  parseBlkio,
  parseCgroupMounts,
  parseFlatKeyed,
  parseFreezerStateV1,
  parseIoStat,
  parseNetDev,
  parseProcCgroup,
  parseSingleValue,
} from './parse';

const V1_ID = '6c1cdd47df8c9d2538fdd836d27790816e934af8fabfaea0b2d178d7dd702070';
const fixture = (p: string) => readFileSync(path.join(__dirname, 'fixtures', p), 'latin1');
const v1 = (c: string, f: string) => fixture(`v1-docker-cgroupfs/sys/fs/cgroup/${c}/docker/${V1_ID}/${f}`);

describe('single value files', () => {
  it('an unsigned integer and a newline; the word max; anything else is not a value', () => {
    expect(parseSingleValue(v1('memory', 'memory.usage_in_bytes'))).toBe(67776512);
    expect(parseSingleValue(v1('memory', 'memory.limit_in_bytes'))).toBe(268435456);
    expect(parseSingleValue(v1('cpuacct', 'cpuacct.usage'))).toBe(73838204);
    expect(parseSingleValue('max\n')).toBe('max');
    expect(parseSingleValue('9223372036854771712\n')).toBe(9223372036854771712); // v1 "unlimited", beyond 2^53 but a number
    for (const bad of ['', '\n', '-1\n', '12 34\n', '1e6\n', 'maxi\n']) expect(parseSingleValue(bad), bad).toBeUndefined();
  });
});

describe('flat keyed files', () => {
  it('v1 memory.stat: local and total_ (hierarchical) keys, the shmem that /dev/shm holds', () => {
    const s = parseFlatKeyed(v1('memory', 'memory.stat'));
    expect(s.get('total_shmem')).toBe(64 * 2 ** 20);
    expect(s.get('total_inactive_file')).toBe(0);
    expect(s.get('total_cache')).toBe(67170304);
    expect(s.get('hierarchical_memory_limit')).toBe(268435456);
    expect(s.size).toBeGreaterThan(30);
  });

  it('v2 memory.stat (GuillaumeGomez/sysinfo#1219): anon, file, inactive_file, no total_ keys', () => {
    const s = parseFlatKeyed(fixture('v2-docker-systemd/sys/fs/cgroup/system.slice/docker-3d1f6a5b8c2e4f7091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708.scope/memory.stat'));
    expect(s.get('anon')).toBe(2472849408);
    expect(s.get('inactive_file')).toBe(4096);
    expect(s.get('thp_collapse_alloc')).toBe(0);
    expect([...s.keys()].some((k) => k.startsWith('total_'))).toBe(false);
  });

  it('cpu.stat and cgroup.events; a line without a number, a blank line and a last line without newline', () => {
    expect(parseFlatKeyed('usage_usec 40004\nuser_usec 12016\nsystem_usec 27988\nnice_usec 0\n').get('usage_usec')).toBe(40004);
    const withThrottling = 'usage_usec 5\nuser_usec 3\nsystem_usec 2\nnr_periods 10\nnr_throttled 4\nthrottled_usec 900\nnr_bursts 0\nburst_usec 0';
    expect(parseFlatKeyed(withThrottling).get('burst_usec')).toBe(0);
    expect(parseFlatKeyed('populated 1\nfrozen 1\n')).toEqual(new Map([['populated', 1], ['frozen', 1]]));
    expect(parseFlatKeyed('\nkey notanumber\nok 7')).toEqual(new Map([['ok', 7]]));
  });
});

describe('one key of a flat keyed file', () => {
  it('agrees with the whole parse for every key of the captured v1 memory.stat; absent and prefixed keys are not taken', () => {
    const text = v1('memory', 'memory.stat');
    for (const [k, v] of parseFlatKeyed(text)) expect(flatKeyedGet(text, k), k).toBe(v);
    expect(flatKeyedGet(text, 'inactive')).toBeUndefined(); // only a whole key: not "inactive_file" nor "total_inactive_file"
    expect(flatKeyedGet('cache 1\ninactive_file 2', 'inactive_file')).toBe(2); // the last line without a newline
    expect(flatKeyedGet('total_inactive_file 5\n', 'inactive_file')).toBeUndefined();
    expect(flatKeyedGet('inactive_file x\n', 'inactive_file')).toBeUndefined();
  });
});

describe('io.stat (nested keyed)', () => {
  it('sums rbytes and wbytes over the devices (cadvisor#2881 line, and two devices)', () => {
    expect(parseIoStat('254:3 rbytes=598016 wbytes=227002702848000 rios=146 wios=124342581 dbytes=0 dios=0\n')).toEqual({ read: 598016, write: 227002702848000 });
    expect(parseIoStat('8:0 rbytes=100 wbytes=200 rios=1 wios=2 dbytes=0 dios=0\n253:1 rbytes=5 wbytes=7 rios=1 wios=1 dbytes=0 dios=0\n')).toEqual({ read: 105, write: 207 });
  });
  it('an empty file is no I/O; keys it does not know (cost.usage, a future one) are skipped', () => {
    expect(parseIoStat('')).toEqual({ read: 0, write: 0 });
    expect(parseIoStat('8:16 rbytes=10 wbytes=20 rios=1 wios=1 dbytes=0 dios=0 cost.vrate=100.00 cost.usage=1 future=x\n')).toEqual({ read: 10, write: 20 });
    expect(parseIoStat('garbage rbytes=10\n')).toEqual({ read: 0, write: 0 });
  });
});

describe('v1 blkio statistics', () => {
  it('only "Total 0" (the captured files): no device, nothing read or written', () => {
    for (const f of ['blkio.bfq.io_service_bytes_recursive', 'blkio.throttle.io_service_bytes_recursive', 'blkio.throttle.io_service_bytes']) {
      expect(parseBlkio(v1('blkio', f))).toEqual({ read: 0, write: 0, devices: 0 });
    }
  });
  it('Read and Write per device counted as the docker CLI (first letter r/R, w/W); Sync, Async, Discard, Total are not', () => {
    const text = ['8:0 Read 4096', '8:0 Write 8192', '8:0 Sync 8192', '8:0 Async 4096', '8:0 Discard 0', '8:0 Total 12288', '8:16 Read 100', '8:16 Write 0', 'Total 12388', ''].join('\n');
    expect(parseBlkio(text)).toEqual({ read: 4196, write: 8192, devices: 10 - 2 });
  });
});

describe('freezer', () => {
  it('v1 freezer.state: THAWED, FREEZING, FROZEN', () => {
    expect(parseFreezerStateV1(v1('freezer', 'freezer.state'))).toBe('thawed');
    expect(parseFreezerStateV1('FROZEN\n')).toBe('frozen');
    expect(parseFreezerStateV1('FREEZING\n')).toBe('freezing');
    expect(parseFreezerStateV1('frozen\n')).toBeUndefined();
  });
  it('v2: cgroup.events frozen decides; asked but not yet frozen is freezing', () => {
    expect(freezerStateV2('1\n', 'populated 1\nfrozen 1\n')).toBe('frozen');
    expect(freezerStateV2('1\n', 'populated 1\nfrozen 0\n')).toBe('freezing');
    expect(freezerStateV2('0\n', 'populated 1\nfrozen 0\n')).toBe('thawed');
    expect(freezerStateV2('0\n', 'populated 1\nfrozen 1\n')).toBe('frozen'); // an ancestor froze it
    expect(freezerStateV2(undefined, 'populated 1\n')).toBeUndefined(); // a kernel before 5.2: no freezer
  });
});

describe('/proc/<pid>/cgroup', () => {
  it('v1 lines with comounted controllers and the v2 line (ctrsploit/ctrsploit#280)', () => {
    const text = [
      '12:net_cls,net_prio:/docker/2403ccfe427f1dc7b6120dccb9ac58c2f8456950380d587a9f33ea7f00dd303d',
      '8:memory:/docker/2403ccfe427f1dc7b6120dccb9ac58c2f8456950380d587a9f33ea7f00dd303d',
      '2:cpu,cpuacct:/docker/2403ccfe427f1dc7b6120dccb9ac58c2f8456950380d587a9f33ea7f00dd303d',
      '1:name=systemd:/docker/2403ccfe427f1dc7b6120dccb9ac58c2f8456950380d587a9f33ea7f00dd303d',
      '0::/system.slice/containerd.service',
      '',
    ].join('\n');
    const lines = parseProcCgroup(text);
    expect(lines).toHaveLength(5);
    expect(lines[2]).toEqual({ hierarchy: 2, controllers: ['cpu', 'cpuacct'], path: '/docker/2403ccfe427f1dc7b6120dccb9ac58c2f8456950380d587a9f33ea7f00dd303d' });
    expect(lines[4]).toEqual({ hierarchy: 0, controllers: [], path: '/system.slice/containerd.service' });
  });
  it('a path with a colon keeps it; lines not of the grammar are skipped', () => {
    expect(parseProcCgroup('0::/a:b/c\nx:memory:/y\n3:memory:relative\n')).toEqual([{ hierarchy: 0, controllers: [], path: '/a:b/c' }]);
  });
});

describe('mountinfo cgroup mounts', () => {
  it('the captured hybrid host: v1 controllers one per mount, the named systemd hierarchy, the empty unified one', () => {
    const mounts = parseCgroupMounts(fixture('v1-docker-cgroupfs/proc/self/mountinfo'));
    expect(mounts.find((m) => m.controllers.includes('memory'))).toEqual({ version: 1, root: '/', mountPoint: '/sys/fs/cgroup/memory', controllers: ['memory'] });
    expect(mounts.find((m) => m.controllers.includes('name=systemd'))?.mountPoint).toBe('/sys/fs/cgroup/systemd');
    expect(mounts.filter((m) => m.version === 2)).toEqual([{ version: 2, root: '/', mountPoint: '/sys/fs/cgroup/unified', controllers: [] }]);
    expect(mounts).toHaveLength(10); // the tmpfs at /sys/fs/cgroup is not a cgroup mount
  });
  it('CentOS 7 (netdata/netdata#563): cpu,cpuacct comounted, release_agent and xattr are options, not controllers', () => {
    const text = [
      '26 25 0:21 / /sys/fs/cgroup/systemd rw,nosuid,nodev,noexec,relatime shared:9 - cgroup cgroup rw,xattr,release_agent=/usr/lib/systemd/systemd-cgroups-agent,name=systemd',
      '30 25 0:25 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:12 - cgroup cgroup rw,cpuacct,cpu',
    ].join('\n');
    expect(parseCgroupMounts(text)).toEqual([
      { version: 1, root: '/', mountPoint: '/sys/fs/cgroup/systemd', controllers: ['name=systemd'] },
      { version: 1, root: '/', mountPoint: '/sys/fs/cgroup/cpu,cpuacct', controllers: ['cpuacct', 'cpu'] },
    ]);
  });
  it('cgroup2 by its type whatever the source says (siderolabs/talos#4110), with no optional fields, and a root seen from another namespace (systemd#17902)', () => {
    expect(parseCgroupMounts('27 175 0:24 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup rw,nsdelegate')).toEqual([{ version: 2, root: '/', mountPoint: '/sys/fs/cgroup', controllers: [] }]);
    expect(parseCgroupMounts('486 477 0:30 / /sys/fs/cgroup ro,nosuid,nodev,noexec,relatime - cgroup2 cgroup rw')[0]?.version).toBe(2);
    expect(parseCgroupMounts('30 23 0:27 /../../../../.. /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,seclabel,nsdelegate')[0]?.root).toBe('/../../../../..');
  });
  it('octal escapes in the mount point are undone; other file systems are not cgroup mounts', () => {
    expect(parseCgroupMounts('50 31 0:40 / /mnt/my\\040cgroups rw - cgroup2 none rw')[0]?.mountPoint).toBe('/mnt/my cgroups');
    expect(parseCgroupMounts('22 20 0:18 / /dev/shm rw,nosuid,nodev shared:3 - tmpfs tmpfs rw\nnot a line')).toEqual([]);
  });
});

describe('/proc/<pid>/net/dev', () => {
  it('the captured container: eth0 counted, lo not', () => {
    expect(parseNetDev(fixture('v1-docker-cgroupfs/proc/23681/net/dev'))).toEqual({ rx: 586, tx: 0 });
  });
  it('sums the interfaces other than lo; a name touching its number; only lo (host or none network) is null', () => {
    const text = [
      'Inter-|   Receive                                                |  Transmit',
      ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed',
      '    lo:  500 5 0 0 0 0 0 0  500 5 0 0 0 0 0 0',
      '  eth0:1000 10 0 0 0 0 0 0 2000 20 0 0 0 0 0 0',
      '  eth1:   30  1 0 0 0 0 0 0   40  1 0 0 0 0 0 0',
    ].join('\n');
    expect(parseNetDev(text)).toEqual({ rx: 1030, tx: 2040 });
    expect(parseNetDev(text.split('\n').slice(0, 3).join('\n'))).toBeNull();
  });
});
