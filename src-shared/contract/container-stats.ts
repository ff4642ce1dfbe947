// Shared by the Docker service (which follows the stats of every managed container) and the sampler
// (which puts the latest of them into each snapshot and persists them).

/**
 * One container's figures at one instant. Rates are per second, between the container's two latest
 * readings. Where they come from:
 * - a container of an engine on this Linux machine (reached through a unix socket): its cgroup files,
 *   read at the sampler's tick (core/cgroup) — memory, CPU, pids and block I/O from cgroup v1 or v2,
 *   network from /proc/<pid>/net/dev of its init process;
 * - any other container (remote engines, other OSes, a cgroup this process cannot see): Docker's
 *   streaming stats.
 * A measure the source lacks is null: unknown, never 0. From cgroups that is: network for a container
 * on the host network or with none (as Docker, which reports no networks then) and when its init
 * process is not visible here; block I/O without a blkio / io controller; pids without the pids
 * controller; memory without the memory controller. CPU and the rates are null on a container's first
 * reading and on the first after a restart.
 */
export interface ContainerStats {
  ts: number;
  id: string;
  name: string;
  project: string | null;
  /** % of the container's CPU limit (of all host cores when it has none). */
  cpuPercent: number | null;
  /** Bytes in use as `docker stats` shows them (Linux: usage less inactive page cache; Windows: private working set); null when the sample lacks it. */
  memoryUsed: number | null;
  /** The cgroup limit, or null when unlimited (then the host's memory bounds it). */
  memoryLimit: number | null;
  memoryPercent: number | null;
  netRxBytesPerSec: number | null;
  netTxBytesPerSec: number | null;
  blockReadBytesPerSec: number | null;
  blockWriteBytesPerSec: number | null;
  pids: number | null;
  /** From inspect when the container was last followed (a restart follows it anew): how often the engine restarted it. */
  restartCount?: number;
  /** Whether the kernel killed it for memory at its last exit. */
  oomKilled?: boolean;
}
