// What the local dockerd can grant, read from /proc: the limits file by the kernel's own grammar
// (fs/proc/base.c proc_pid_limits, proc(5)), CapEff (capabilities(7)), uid_map (user_namespaces(7)),
// and the dockerd found beside the socket or by name. The fixture proc-sandboxed-dockerd/ is a real
// dockerd's /proc/<pid>/{comm,limits,status,uid_map}: root, but without CAP_SYS_RESOURCE (CapEff
// 000001fffeffffff, bit 24 clear) and an 8 MiB memlock hard limit, where `--ulimit memlock=-1` fails.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tmpDataDir } from '../../test-support';
import { CAP_SYS_RESOURCE, effectiveCapabilities, findDockerd, hasCapability, isInitialUserNamespace, memlockMax, parseProcLimits, readEngineLimits, type EngineLimits } from './engine-limits';

const FIXTURE = new URL('./fixtures/proc-sandboxed-dockerd/', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, FIXTURE), 'utf8');

/** A row as the kernel prints it: seq_printf "%-25s %-20s %-20s %-10s" (the units left out for the priorities). */
const row = (name: string, soft: string, hard: string, units?: string) => `${name.padEnd(25)} ${soft.padEnd(20)} ${hard.padEnd(20)} ${units === undefined ? '' : units.padEnd(10)}`;
const HEADER = row('Limit', 'Soft Limit', 'Hard Limit', 'Units');
const limitsFile = (...rows: string[]) => [HEADER, ...rows, ''].join('\n');

describe('parseProcLimits', () => {
  it('reads a real dockerd’s limits: 16 rows, memlock 8 MiB soft and hard, stack 8 MiB under an unlimited hard limit', () => {
    const rows = parseProcLimits(fixture('limits'));
    expect(rows).toHaveLength(16);
    expect(rows.find((r) => r.name === 'Max locked memory')).toEqual({ name: 'Max locked memory', soft: 8388608, hard: 8388608, units: 'bytes' });
    expect(rows.find((r) => r.name === 'Max stack size')).toEqual({ name: 'Max stack size', soft: 8388608, hard: 'unlimited', units: 'bytes' });
    expect(rows.find((r) => r.name === 'Max open files')).toEqual({ name: 'Max open files', soft: 20000, hard: 20000, units: 'files' });
    expect(rows.find((r) => r.name === 'Max nice priority')).toEqual({ name: 'Max nice priority', soft: 0, hard: 0, units: null });
    expect(rows.find((r) => r.name === 'Max realtime timeout')).toEqual({ name: 'Max realtime timeout', soft: 'unlimited', hard: 'unlimited', units: 'us' });
  });

  it('follows the kernel’s grammar: unlimited on either side, 0, the widest %lu, rows without units', () => {
    const rows = parseProcLimits(
      limitsFile(
        row('Max locked memory', 'unlimited', 'unlimited', 'bytes'),
        row('Max core file size', '0', 'unlimited', 'bytes'),
        row('Max address space', '18446744073709551614', '18446744073709551614', 'bytes'),
        row('Max realtime priority', '0', '99'),
        row('Max locked memory', '65536', '65536', 'bytes'),
      ),
    );
    expect(rows).toEqual([
      { name: 'Max locked memory', soft: 'unlimited', hard: 'unlimited', units: 'bytes' },
      { name: 'Max core file size', soft: 0, hard: 'unlimited', units: 'bytes' },
      // Past 2^53 − 1 a number cannot hold the count: read as 2^53 − 1, below it, so never more than the engine has.
      { name: 'Max address space', soft: Number.MAX_SAFE_INTEGER, hard: Number.MAX_SAFE_INTEGER, units: 'bytes' },
      { name: 'Max realtime priority', soft: 0, hard: 99, units: null },
      { name: 'Max locked memory', soft: 65536, hard: 65536, units: 'bytes' },
    ]);
  });

  it('refuses, naming the line, what is not a limits file', () => {
    expect(() => parseProcLimits('Name:\tdockerd\n')).toThrow(/^not a \/proc\/<pid>\/limits file: its first line is "Name:\\tdockerd"/);
    expect(() => parseProcLimits('')).toThrow(/^not a \/proc\/<pid>\/limits file/);
    expect(() => parseProcLimits(limitsFile(row('Max locked memory', '8M', '8M', 'bytes')))).toThrow(/^line 2 of a \/proc\/<pid>\/limits file is not "name soft hard \[units\]"/);
    expect(() => parseProcLimits(limitsFile(row('Max cpu time', 'unlimited', 'unlimited', 'seconds'), 'Max locked memory'))).toThrow(/^line 3 /);
  });
});

describe('capabilities and user namespace', () => {
  it('reads CapEff as a bit set: the fixture’s dockerd lacks CAP_SYS_RESOURCE (bit 24)', () => {
    const caps = effectiveCapabilities(fixture('status'));
    expect(caps).toBe(0x1fffeffffffn);
    expect(hasCapability(caps, CAP_SYS_RESOURCE)).toBe(false);
    expect(hasCapability(caps, 21)).toBe(true); // CAP_SYS_ADMIN
  });

  it('sees CAP_SYS_RESOURCE in a full set (40 capabilities, or 38 on older kernels), and none in an empty one', () => {
    expect(hasCapability(effectiveCapabilities('CapInh:\t0000000000000000\nCapEff:\t000001ffffffffff\n'), CAP_SYS_RESOURCE)).toBe(true);
    expect(hasCapability(effectiveCapabilities('CapEff:\t0000003fffffffff\n'), CAP_SYS_RESOURCE)).toBe(true);
    expect(hasCapability(effectiveCapabilities('CapEff:\t0000000001000000\n'), CAP_SYS_RESOURCE)).toBe(true);
    expect(hasCapability(effectiveCapabilities('CapEff:\t0000000000000000\n'), CAP_SYS_RESOURCE)).toBe(false);
    expect(() => effectiveCapabilities('Name:\tdockerd\n')).toThrow('no CapEff line in the /proc/<pid>/status file');
  });

  it('tells the initial user namespace (the identity map) from a rootless one', () => {
    expect(isInitialUserNamespace(fixture('uid_map'))).toBe(true);
    expect(isInitialUserNamespace('         0       1000          1\n         1     100000      65536\n')).toBe(false);
    expect(isInitialUserNamespace('         0          0       1000\n')).toBe(false);
    expect(isInitialUserNamespace('')).toBe(false);
  });
});

describe('memlockMax', () => {
  const limits = (hard: EngineLimits['memlock']['hard'], canRaise: boolean): EngineLimits => ({ pid: 1, memlock: { soft: hard, hard }, canRaise });
  it('is the hard limit for a dockerd that cannot raise it, and null (unlimited can be granted, or not known) otherwise', () => {
    expect(memlockMax(limits(8388608, false))).toBe(8388608);
    expect(memlockMax(limits(0, false))).toBe(0);
    expect(memlockMax(limits(8388608, true))).toBeNull();
    expect(memlockMax(limits('unlimited', false))).toBeNull();
    expect(memlockMax(null)).toBeNull();
  });
});

describe('readEngineLimits over a /proc tree', () => {
  const base = tmpDataDir();
  /** A folder with proc/<pid>/ copied from the fixture (files replaced by `over`) per dockerd, and run/ for the socket and pidfile. */
  function tree(dockerds: Record<number, Partial<Record<'comm' | 'limits' | 'status' | 'uid_map', string>>>, pidfile?: string) {
    const root = mkdtempSync(path.join(base, 'tree-'));
    const proc = path.join(root, 'proc');
    const run = path.join(root, 'run');
    mkdirSync(run);
    for (const [pid, over] of Object.entries(dockerds)) {
      mkdirSync(path.join(proc, pid), { recursive: true });
      for (const f of ['comm', 'limits', 'status', 'uid_map'] as const) {
        if (over[f] !== undefined) writeFileSync(path.join(proc, pid, f), over[f]);
        else copyFileSync(new URL(f, FIXTURE), path.join(proc, pid, f));
      }
    }
    mkdirSync(path.join(proc, '1'), { recursive: true });
    writeFileSync(path.join(proc, '1', 'comm'), 'systemd\n');
    writeFileSync(path.join(proc, 'self'), ''); // /proc has entries that are not processes
    if (pidfile !== undefined) writeFileSync(path.join(run, 'docker.pid'), pidfile);
    return { proc, run, socket: path.join(run, 'docker.sock'), env: { XDG_RUNTIME_DIR: run } };
  }

  it('reads the dockerd named by the pidfile beside the socket (root: /var/run, rootless: $XDG_RUNTIME_DIR)', () => {
    const t = tree({ 4242: {} }, '4242');
    const limits = readEngineLimits(t.socket, t.proc, {});
    expect(limits).toEqual({ pid: 4242, memlock: { soft: 8388608, hard: 8388608 }, canRaise: false });
    expect(memlockMax(limits)).toBe(8388608);
  });

  it('grants anything for a dockerd with CAP_SYS_RESOURCE in the initial user namespace, not for a rootless one holding it in its own', () => {
    const root = tree({ 4242: { status: 'CapEff:\t000001ffffffffff\n' } }, '4242');
    expect(readEngineLimits(root.socket, root.proc, {})).toMatchObject({ canRaise: true });
    expect(memlockMax(readEngineLimits(root.socket, root.proc, {}))).toBeNull();
    const rootless = tree({ 4242: { status: 'CapEff:\t000001ffffffffff\n', uid_map: '         0       1000          1\n         1     100000      65536\n' } }, '4242');
    expect(memlockMax(readEngineLimits(rootless.socket, rootless.proc, {}))).toBe(8388608);
  });

  it('finds the one dockerd by name when the pidfile is missing or stale, for a socket in a run folder only', () => {
    const stale = tree({ 4242: {} }, '1');
    expect(findDockerd(stale.socket, stale.proc, stale.env)).toBe(4242);
    const none = tree({ 4242: {} });
    expect(findDockerd(none.socket, none.proc, none.env)).toBe(4242);
    // Not a run folder (say, Docker Desktop's socket, whose engine runs in a VM): a dockerd here is not that engine.
    expect(findDockerd(none.socket, none.proc, {})).toBeNull();
    const two = tree({ 4242: {}, 5353: {} });
    expect(findDockerd(two.socket, two.proc, two.env)).toBeNull();
    const garbage = tree({ 4242: {} }, 'not a pid\n');
    expect(findDockerd(garbage.socket, garbage.proc, garbage.env)).toBe(4242);
  });

  it('is not known (null) over TCP or SSH, without a dockerd, without /proc, or with files not as proc(5) says', () => {
    const t = tree({ 4242: {} }, '4242');
    expect(readEngineLimits(null, t.proc, {})).toBeNull();
    expect(readEngineLimits(t.socket, path.join(t.proc, 'nowhere'), t.env)).toBeNull();
    const empty = tree({});
    expect(readEngineLimits(empty.socket, empty.proc, empty.env)).toBeNull();
    const bad = tree({ 4242: { limits: 'Max locked memory 8388608\n' } }, '4242');
    expect(readEngineLimits(bad.socket, bad.proc, {})).toBeNull();
    const noRow = tree({ 4242: { limits: limitsFile(row('Max open files', '1024', '4096', 'files')) } }, '4242');
    expect(readEngineLimits(noRow.socket, noRow.proc, {})).toBeNull();
  });
});
