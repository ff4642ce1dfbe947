// What decide() reads: plain data, gathered by the service (host-facts.ts, running.ts, the ledger)
// or written by hand in tests and benchmarks. Bytes are bytes, percentages 0–100, times ms since epoch.
import type { AdmissionPolicySettings, AdmissionRequestSummary, Actor, ProjectQuota } from '@shared/contract';

/** GPUs a container asks for or holds: a count (-1 = all; N = GPUs 0…N−1, as Docker assigns them) or device ids. */
export type GpuClaim = NonNullable<AdmissionRequestSummary['gpus']>;

/** One GPU as the latest nvidia-smi round reported it. */
export interface GpuFact {
  index: number;
  uuid: string;
  memoryTotalMiB: number | null;
  memoryFreeMiB: number | null;
  /** nvidia-smi's words when it reports the GPU broken; null when healthy. */
  fault: string | null;
  /** Compute processes on it, with the managed container each belongs to; null when unknown. */
  processes: { containerId: string | null; usedMiB: number | null }[] | null;
}

/** The host at the last snapshot, as decide() needs it. A null figure is unknown (then `unknownWhy` or the figure's own why says why). */
export interface HostFacts {
  /** The snapshot's time; null when there is none. */
  ts: number | null;
  /** Why every host figure is unknown (no snapshot yet, a stale one, an engine on another machine); null when known. */
  unknownWhy: string | null;
  memory: { totalBytes: number; usedBytes: number } | null;
  /** Busy %, averaged over `cpuWindowSeconds` of snapshots. */
  cpuPercent: number | null;
  /** The span the CPU average covers (s); 0 for a single snapshot. */
  cpuWindowSeconds: number;
  cores: number | null;
  load1: number | null;
  /** The filesystem of Docker's data root. */
  disk: { mount: string; freeBytes: number; totalBytes: number } | null;
  diskWhy: string | null;
  /** null: unknown (nvidia-smi absent, restarting, or not yet answered); [] a host without NVIDIA GPUs. */
  gpus: GpuFact[] | null;
  gpuWhy: string | null;
  /** Each running managed container's memory in use and share of the host's CPUs (%), by container id. */
  usage: ReadonlyMap<string, { memoryBytes: number | null; cpuPercent: number | null }>;
}

/** A running (or paused) managed container on the engine, with what it was given. */
export interface RunningContainer {
  id: string;
  name: string;
  project: string | null;
  state: 'running' | 'paused';
  /** HostConfig.Memory; null when unlimited. */
  memoryLimit: number | null;
  /** HostConfig.NanoCpus in CPUs; null when unlimited. */
  cpus: number | null;
  gpus: GpuClaim | null;
}

export interface RunningFacts {
  /** When the list was asked of the engine; null before the first answer. */
  asOf: number | null;
  containers: RunningContainer[];
  /** Why the list is unknown (the engine has not answered yet); null when known. */
  unknownWhy: string | null;
}

/** A reservation of the ledger that still counts: held (its launch is under way) or committed (its container runs). */
export interface LedgerEntry {
  id: number;
  decisionId: number;
  project: string;
  containerId: string | null;
  name: string | null;
  /** What the host's memory grows by. */
  memoryBytes: number;
  /** What the project's memory quota counts. */
  memoryCounted: number;
  cpus: number | null;
  gpus: GpuClaim | null;
  /** A container that does not run yet (a launch, the start of a stopped one): it counts toward the containers quota. */
  newContainer: boolean;
  state: 'held' | 'committed';
  createdAt: number;
  /** When it was committed; null while held. */
  settledAt: number | null;
}

/**
 * What is asked, normalised: a launch, or the start / unpause / restart of an existing container. The
 * contract's summary of the request, with the counts decide() works on; it reports `memoryCounted` as
 * the summary's `memoryCountedBytes`.
 */
export interface Demand extends Omit<AdmissionRequestSummary, 'memoryCountedBytes'> {
  /** What the host's memory grows by: the limit (or the default), 0 for a container that already holds its memory. */
  hostMemoryBytes: number;
  /** What the project's memory quota counts: the limit, or the policy's default. */
  memoryCounted: number;
  /** What the caller knew before the gate: true, the image is on the engine (nothing to pull); false, it is not; absent, unknown. */
  imagePresent?: boolean;
  /** false for a container already running or paused (unpause, restart of a running one): it is counted already. */
  newContainer: boolean;
}

export interface DecideInput {
  demand: Demand;
  host: HostFacts;
  running: RunningFacts;
  /** Held and committed reservations on the engine (released and expired ones are not given). */
  ledger: readonly LedgerEntry[];
  quota: ProjectQuota | null;
  policy: AdmissionPolicySettings;
  actor: Actor;
  now: number;
}
