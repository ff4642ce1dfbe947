// What the admission checks share (decide.ts and its check modules): the draft a check returns, sizes
// in words, the holders of resources on the engine and how many of them to stop.
import type { AdmissionCheck, AdmissionCheckId } from '@shared/contract';
import type { GpuClaim } from './facts';
import type { ResolvedClaim } from './gpu-claims';
import { list, named } from './words';

export type Draft = Omit<AdmissionCheck, 'label' | 'mode'>;

export const MiB = 1024 ** 2;
export const NONE: number[] = [];
const GiB = 1024 ** 3;

/** Rounded down to what a person would type: 0.1 GiB steps from 1 GiB up, whole MiB below. */
export function floorForWords(n: number): number {
  // The epsilon keeps a value that is a whole step (6.4 GiB) from flooring to the one below through rounding.
  if (n >= GiB) return Math.floor(n / (GiB / 10) + 1e-9) * (GiB / 10);
  return Math.max(MiB, Math.floor(n / MiB + 1e-9) * MiB);
}

/** A size as `--memory` takes it, rounded up so that it covers `n`: "10.5g", "768m". */
export function sizeArgument(n: number): string {
  return n >= GiB ? `${Math.ceil(n / (GiB / 10)) / 10}g` : `${Math.ceil(n / MiB)}m`;
}

/** Someone holding resources on the engine: a running (or paused) managed container, or a reservation the running list does not show yet. */
export interface Holder {
  id: string | null;
  name: string;
  project: string | null;
  /** What quotas count: the memory limit, or the default. */
  memoryCounted: number;
  cpus: number | null;
  gpus: GpuClaim | null;
  /** A reservation (a launch under way, or just started): it cannot be stopped from here. */
  reserved: boolean;
  newContainer: boolean;
  /** What stopping it frees now, from the snapshot; null when unknown (then its limit is used). */
  memoryUsed: number | null;
  cpuPercent: number | null;
  /** How many GPUs it holds (claimSize); null when that cannot be told. */
  gpuCount: number | null;
  /** The GPU indexes it holds, when the machine's GPUs are known. */
  gpuIndexes: number[];
}

/** The fewest holders whose `size` adds up to `need`: the smallest single one that is enough, else the largest first. Null when all together are not enough. */
export function toStop(candidates: Holder[], size: (h: Holder) => number, need: number): Holder[] | null {
  const sized = candidates.map((h) => ({ h, s: size(h) })).filter((x) => x.s > 0);
  const single = sized.filter((x) => x.s >= need).sort((a, b) => a.s - b.s)[0];
  if (single) return [single.h];
  const out: Holder[] = [];
  let freed = 0;
  for (const x of sized.sort((a, b) => b.s - a.s)) {
    out.push(x.h);
    freed += x.s;
    if (freed >= need) return out;
  }
  return null;
}

export const sum = <T>(xs: readonly T[], f: (x: T) => number) => xs.reduce((n, x) => n + f(x), 0);

export type Resolve = ((claim: GpuClaim) => ResolvedClaim) | null;

/** How many GPUs a claim holds: resolved on this machine's GPUs when known; null when it cannot be told (all, with the GPUs unknown). */
export function claimSize(claim: GpuClaim | null, resolve: Resolve, resolved?: ResolvedClaim): number | null {
  if (!claim) return 0;
  if (resolve) {
    const r = resolved ?? resolve(claim);
    return r.indexes.length + r.missing.length;
  }
  if (claim.count === -1) return null;
  return claim.deviceIds ? claim.deviceIds.length : claim.count;
}

export const unknownCheck = (id: AdmissionCheckId, unit: AdmissionCheck['unit'], sentence: string): Draft => ({ id, observed: null, limit: null, after: null, unit, status: 'unknown', sentence });

/** "stop `a` (6 GiB) or `b` (3 GiB)": each holder with what it frees. */
export const stopWords = (hs: Holder[], size?: (h: Holder) => string) => `stop ${list(hs.map((h) => (size ? `${named(h.name)} (${size(h)})` : named(h.name))))}`;
