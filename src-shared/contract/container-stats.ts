// Shared by the Docker service (which streams stats per managed container) and the sampler
// (which puts the latest of them into each snapshot and persists them).

/**
 * One container's figures at one instant, from Docker's streaming stats. Rates are per second. A
 * measure the engine's sample lacks (another OS, another engine) is null: unknown, never 0.
 */
export interface ContainerStats {
  ts: number;
  id: string;
  name: string;
  project: string | null;
  /** % of the container's CPU limit (of all host cores when it has none). */
  cpuPercent: number | null;
  /** Bytes in use (Linux: usage less inactive page cache; Windows: private working set); null when the sample lacks it. */
  memoryUsed: number | null;
  /** The cgroup limit, or null when unlimited (then the host's memory bounds it). */
  memoryLimit: number | null;
  memoryPercent: number | null;
  netRxBytesPerSec: number | null;
  netTxBytesPerSec: number | null;
  blockReadBytesPerSec: number | null;
  blockWriteBytesPerSec: number | null;
  pids: number | null;
  /** From inspect when the stream opened (a restart reopens it): how often the engine restarted it. */
  restartCount?: number;
  /** Whether the kernel killed it for memory at its last exit. */
  oomKilled?: boolean;
}
