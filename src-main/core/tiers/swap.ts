// Whether this host can keep a model in the swap tier: paused, with its pages pushed out to swap.
// That needs swap space, and a way to push a cgroup's pages out: cgroup v2's memory.reclaim (Linux
// 5.19+). cgroup v1's way (lowering the memory limit) is not implemented, and without swap there is
// nowhere for the pages to go. Never faked: a host that cannot is UNSUPPORTED, with the reason.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { SwapSupport } from '@shared/contract';
import { formatBytes } from '@shared/units';

/** What the decision rests on. */
export interface SwapFacts {
  /** The cgroup version the containers run under (null: none found). */
  cgroupVersion: 1 | 2 | null;
  /** SwapTotal of /proc/meminfo, bytes. */
  swapTotalBytes: number;
  /** cgroup v2 only: the kernel offers memory.reclaim in non-root cgroups. */
  reclaimFile: boolean;
}

/** The swap tier's support on a host with these facts, with the reason in words. */
export function swapSupport(f: SwapFacts): SwapSupport {
  const cg = f.cgroupVersion === null ? 'no cgroup hierarchy was found' : `cgroup v${f.cgroupVersion}`;
  if (f.swapTotalBytes <= 0) {
    return { supported: false, method: null, reason: `this host has ${cg} and no swap space (SwapTotal in /proc/meminfo is 0): a paused model's pages have nowhere to go` };
  }
  if (f.cgroupVersion === 2 && f.reclaimFile) {
    return { supported: true, method: 'memory.reclaim', reason: `cgroup v2 memory.reclaim pushes a paused model's pages to the host's ${formatBytes(f.swapTotalBytes)} of swap` };
  }
  if (f.cgroupVersion === 2) {
    return { supported: false, method: null, reason: 'this kernel has cgroup v2 without memory.reclaim (Linux 5.19 or later has it)' };
  }
  return {
    supported: false,
    method: null,
    reason: `this host has ${cg}: pushing a paused container's pages to swap there means lowering its memory limit, which MLEnv does not do`,
  };
}

/** SwapTotal from the text of /proc/meminfo (proc(5): "SwapTotal:   123 kB"), bytes; 0 when absent. */
export function parseSwapTotal(meminfo: string): number {
  const m = /^SwapTotal:\s+(\d+)\s*kB$/m.exec(meminfo);
  return m ? Number(m[1]) * 1024 : 0;
}

/** SwapTotal of this host, bytes (0 when /proc/meminfo cannot be read: no swap tier then). */
export function hostSwapTotal(): number {
  try {
    return parseSwapTotal(readFileSync('/proc/meminfo', 'utf8'));
  } catch {
    return 0;
  }
}

/**
 * This host's facts: the cgroup version (cgroup.controllers exists only at the root of a v2
 * hierarchy; v1 mounts a memory hierarchy at /sys/fs/cgroup/memory), SwapTotal, and whether a
 * non-root v2 cgroup offers memory.reclaim.
 */
export function hostSwapFacts(root = '/sys/fs/cgroup'): SwapFacts {
  const v2 = existsSync(`${root}/cgroup.controllers`);
  const version: SwapFacts['cgroupVersion'] = v2 ? 2 : existsSync(`${root}/memory`) ? 1 : null;
  let reclaimFile = false;
  if (v2) {
    try {
      reclaimFile = readdirSync(root, { withFileTypes: true }).some((d) => d.isDirectory() && existsSync(`${root}/${d.name}/memory.reclaim`));
    } catch {
      reclaimFile = false;
    }
  }
  return { cgroupVersion: version, swapTotalBytes: hostSwapTotal(), reclaimFile };
}
