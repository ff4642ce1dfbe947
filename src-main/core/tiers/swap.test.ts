// Whether the swap tier is offered, decided from a host's own files: /proc/meminfo (fixtures/README.md)
// and the cgroup trees of core/cgroup/fixtures, with the files a kernel with memory.reclaim and swap
// accounting adds (cgroup-v2.rst) written in. This machine is cgroup v1 without swap: the last case.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeTree } from '../cgroup/fake-tree';
import { hostSwapFacts, mayWrite, swapSupport, V1_SWAP_REASON } from './swap';

const GIB = 2 ** 30;
const MEMINFO_NO_SWAP = readFileSync(path.join(__dirname, 'fixtures/meminfo-no-swap.txt'), 'latin1');
const MEMINFO_SWAP = readFileSync(path.join(__dirname, 'fixtures/meminfo-swap-2g.txt'), 'latin1');
const SWAP_2G = 2097148 * 1024;

/** A v2 host (Docker's systemd driver: containers under /system.slice) with this meminfo and these files in system.slice. */
function v2Host(meminfo: string, files: { reclaim?: boolean; swapMax?: string | null } = {}) {
  const tree = fakeTree('v2-docker-systemd');
  tree.write('proc/meminfo', meminfo);
  if (files.reclaim !== false) tree.write('sys/fs/cgroup/system.slice/memory.reclaim', '');
  if (files.swapMax !== null) {
    tree.write('sys/fs/cgroup/system.slice/memory.swap.max', `${files.swapMax ?? 'max'}\n`);
    tree.write('sys/fs/cgroup/system.slice/memory.swap.current', '0\n');
  }
  return tree;
}
/** This process as root: the fixture files are this process's, so any identity that owns them may write. */
const ROOT = { uid: 0, gids: [0] };

describe('swap tier support, from the host', () => {
  it('cgroup v2 with swap, memory.reclaim and swap accounting: supported, by memory.reclaim', () => {
    const tree = v2Host(MEMINFO_SWAP);
    const facts = hostSwapFacts({ root: tree.root, identity: ROOT });
    expect(facts).toEqual({ cgroupVersion: 2, swapTotalBytes: SWAP_2G, containersCgroup: '/system.slice', reclaimFile: true, reclaimWritable: true, swapMax: 'max' });
    expect(swapSupport(facts)).toEqual({ supported: true, method: 'memory.reclaim', reason: "cgroup v2 memory.reclaim pushes a paused model's pages to the host's 2.0 GiB of swap" });
  });

  it('cgroup v2 without swap space: unsupported, nowhere for the pages to go', () => {
    const s = swapSupport(hostSwapFacts({ root: v2Host(MEMINFO_NO_SWAP).root, identity: ROOT }));
    expect(s).toEqual({ supported: false, method: null, reason: "this host has cgroup v2 and no swap space (SwapTotal in /proc/meminfo is 0): a paused model's pages have nowhere to go" });
  });

  it('cgroup v2 with swap but memory.swap.max 0 for the containers’ cgroup: unsupported', () => {
    const facts = hostSwapFacts({ root: v2Host(MEMINFO_SWAP, { swapMax: '0' }).root, identity: ROOT });
    expect(facts.swapMax).toBe(0);
    expect(swapSupport(facts)).toMatchObject({ supported: false, reason: 'memory.swap.max of /system.slice is 0: its containers may not use swap' });
    // A limit that is not 0 is named with the support.
    const limited = swapSupport(hostSwapFacts({ root: v2Host(MEMINFO_SWAP, { swapMax: String(GIB) }).root, identity: ROOT }));
    expect(limited).toMatchObject({ supported: true, reason: expect.stringContaining('up to 1.0 GiB under memory.swap.max of /system.slice') });
  });

  it('cgroup v2 with swap, but a kernel before 5.19 (no memory.reclaim) or without swap accounting: unsupported, saying which', () => {
    expect(swapSupport(hostSwapFacts({ root: v2Host(MEMINFO_SWAP, { reclaim: false }).root, identity: ROOT })).reason).toBe(
      'this kernel has cgroup v2 without memory.reclaim (Linux 5.19 or later has it)',
    );
    expect(swapSupport(hostSwapFacts({ root: v2Host(MEMINFO_SWAP, { swapMax: null }).root, identity: ROOT })).reason).toMatch(
      /^\/system\.slice has no memory\.swap\.max: the kernel keeps no swap accounting/,
    );
  });

  it('cgroup v2 where this process may not write memory.reclaim (a user, the cgroups root’s): unsupported', () => {
    const tree = v2Host(MEMINFO_SWAP);
    const uid = (process.getuid?.() ?? 0) + 4242; // owns nothing of the tree; the files are 0644
    const facts = hostSwapFacts({ root: tree.root, identity: { uid, gids: [uid] } });
    expect(facts.reclaimWritable).toBe(false);
    expect(swapSupport(facts).reason).toBe('MLEnv may not write /system.slice/memory.reclaim (the cgroups of a rootful Docker belong to root): run it as root to use the swap tier');
  });

  it('finds the cgroupfs driver’s /docker parent before /system.slice', () => {
    const tree = fakeTree('v2-docker-cgroupfs');
    tree.write('proc/meminfo', MEMINFO_SWAP);
    tree.write('sys/fs/cgroup/docker/memory.reclaim', '');
    tree.write('sys/fs/cgroup/docker/memory.swap.max', '0\n');
    tree.write('sys/fs/cgroup/system.slice/memory.swap.max', 'max\n');
    const facts = hostSwapFacts({ root: tree.root, identity: ROOT });
    expect(facts).toMatchObject({ containersCgroup: '/docker', reclaimFile: true, swapMax: 0 });
  });

  it('cgroup v1 with swap: unsupported, since MLEnv does not lower memory limits (swap.ts says why)', () => {
    const tree = fakeTree('v1-docker-cgroupfs');
    tree.write('proc/meminfo', MEMINFO_SWAP);
    const facts = hostSwapFacts({ root: tree.root, identity: ROOT });
    expect(facts).toEqual({ cgroupVersion: 1, swapTotalBytes: SWAP_2G, reclaimFile: false });
    expect(swapSupport(facts)).toEqual({ supported: false, method: null, reason: V1_SWAP_REASON });
    expect(V1_SWAP_REASON).toBe('cgroup v1: MLEnv pushes memory to swap only through cgroup v2 memory.reclaim');
  });

  it('cgroup v1 without swap (this machine): unsupported, no swap space', () => {
    const tree = fakeTree('v1-docker-cgroupfs');
    tree.write('proc/meminfo', MEMINFO_NO_SWAP);
    expect(swapSupport(hostSwapFacts({ root: tree.root }))).toEqual({
      supported: false,
      method: null,
      reason: "this host has cgroup v1 and no swap space (SwapTotal in /proc/meminfo is 0): a paused model's pages have nowhere to go",
    });
  });

  it('no cgroup hierarchy and no /proc (not Linux): unsupported', () => {
    const tree = fakeTree();
    expect(hostSwapFacts({ root: tree.root })).toEqual({ cgroupVersion: null, swapTotalBytes: 0, reclaimFile: false });
    expect(swapSupport({ cgroupVersion: null, swapTotalBytes: GIB, reclaimFile: false }).reason).toMatch(/no cgroup hierarchy was found/);
  });
});

describe('mayWrite (permission bits)', () => {
  const file = { uid: 0, gid: 0, mode: 0o100200 }; // kernfs memory.reclaim: --w------- root root
  it('root writes anything; the owner by its bit, the group by its bit, others by theirs', () => {
    expect(mayWrite(file, { uid: 0, gids: [] })).toBe(true);
    expect(mayWrite(file, { uid: 1000, gids: [0] })).toBe(false);
    expect(mayWrite({ ...file, uid: 1000 }, { uid: 1000, gids: [] })).toBe(true); // delegated to the user (rootless)
    expect(mayWrite({ ...file, mode: 0o100220 }, { uid: 1000, gids: [0] })).toBe(true);
    expect(mayWrite({ ...file, mode: 0o100202 }, { uid: 1000, gids: [] })).toBe(true);
  });
});
