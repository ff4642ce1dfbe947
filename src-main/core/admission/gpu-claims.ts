// Which GPUs a container holds, read as Docker and the NVIDIA Container Toolkit assign them:
// - HostConfig.DeviceRequests (docker run --gpus): DeviceIDs name the GPUs; a Count of N gets GPUs
//   0…N−1 (moby daemon/nvidia_linux.go, countToDevices: "returns the list 0, 1, ... count-1"), -1 all;
// - without DeviceRequests, NVIDIA_VISIBLE_DEVICES in the container's environment, but only where the
//   nvidia runtime runs it (--runtime nvidia, or nvidia as the engine's default runtime): NGC images set
//   NVIDIA_VISIBLE_DEVICES=all in their own environment, which means nothing under runc.
// NVIDIA_VISIBLE_DEVICES values (NVIDIA Container Toolkit docs, "Environment variables"): a comma list
// of GPU indexes, GPU UUIDs or MIG devices, `all`, `none` (the driver, no GPU) or `void` / empty (nothing).
import type { DeviceRequest } from '@shared/gpus';
import type { GpuClaim, GpuFact } from './facts';

/** The GPU part of a DeviceRequest list (driver nvidia or unset, or a "gpu" capability); null when it asks for none. */
export function claimFromDeviceRequests(requests: readonly DeviceRequest[] | null | undefined): GpuClaim | null {
  const gpu = (requests ?? []).filter((r) => r.Driver === 'nvidia' || r.Driver === '' || r.Capabilities?.some((set) => set.includes('gpu')));
  if (!gpu.length) return null;
  if (gpu.some((r) => r.Count === -1)) return { count: -1, deviceIds: null };
  const ids = gpu.flatMap((r) => r.DeviceIDs ?? []);
  const count = gpu.reduce((n, r) => n + (r.DeviceIDs?.length ? 0 : Math.max(0, r.Count)), 0);
  if (ids.length && count) return { count: 0, deviceIds: [...ids, ...countIds(count)] };
  if (ids.length) return { count: 0, deviceIds: ids };
  return count > 0 ? { count, deviceIds: null } : null;
}

const countIds = (n: number) => Array.from({ length: n }, (_, i) => String(i));

/** NVIDIA_VISIBLE_DEVICES's value → a claim; null for none, void or empty. */
export function claimFromVisibleDevices(value: string | undefined): GpuClaim | null {
  const v = value?.trim();
  if (!v || v === 'none' || v === 'void') return null;
  if (v === 'all') return { count: -1, deviceIds: null };
  const ids = v.split(',').map((s) => s.trim()).filter(Boolean);
  return ids.length ? { count: 0, deviceIds: ids } : null;
}

/**
 * What a container holds: its DeviceRequests, else (under the nvidia runtime) NVIDIA_VISIBLE_DEVICES
 * from `env` (NAME=value strings, the last one winning as in a process environment).
 */
export function containerGpuClaim(c: { deviceRequests: readonly DeviceRequest[] | null | undefined; env: readonly string[] | null | undefined; runtime: string | null | undefined; defaultRuntime?: string | null }): GpuClaim | null {
  const fromRequests = claimFromDeviceRequests(c.deviceRequests);
  if (fromRequests) return fromRequests;
  const runtime = c.runtime || c.defaultRuntime || 'runc';
  if (runtime !== 'nvidia') return null;
  const entry = [...(c.env ?? [])].reverse().find((e) => e.startsWith('NVIDIA_VISIBLE_DEVICES='));
  return entry ? claimFromVisibleDevices(entry.slice('NVIDIA_VISIBLE_DEVICES='.length)) : null;
}

export interface ResolvedClaim {
  /** GPU indexes the claim lands on (sorted, distinct). */
  indexes: number[];
  /** Ids that name no GPU of this machine. */
  missing: string[];
  /** How many GPUs it asks for (a count; every GPU for all; one per device id). */
  wanted: number;
}

/**
 * The GPUs of `gpus` a claim lands on: a count N → indexes 0…N−1 (those beyond the machine's are
 * `missing`), all → every GPU, ids by index, GPU UUID (case-insensitive), or MIG pair `g:i` (on GPU g).
 * A MIG-… UUID cannot be tied to its GPU from nvidia-smi's GPU rows: it is left out (neither held nor missing).
 */
export function resolveClaim(claim: GpuClaim, gpus: readonly GpuFact[]): ResolvedClaim {
  return gpuResolver(gpus)(claim);
}

/** resolveClaim over one set of GPUs, its lookups built once (for resolving many claims). */
export function gpuResolver(gpus: readonly GpuFact[]): (claim: GpuClaim) => ResolvedClaim {
  const indexes = new Set(gpus.map((g) => g.index));
  const byUuid = new Map(gpus.map((g) => [g.uuid.toLowerCase(), g.index]));
  const every = [...indexes].sort((a, b) => a - b);
  return (claim) => {
    if (claim.count === -1) return { indexes: every, missing: [], wanted: gpus.length };
    const ids = claim.deviceIds ?? countIds(claim.count);
    const found: number[] = [];
    const missing: string[] = [];
    for (const id of ids) {
      if (/^MIG-/i.test(id)) continue;
      const pair = /^(\d+)(?::\d+)?$/.exec(id);
      const index = pair ? Number(pair[1]) : byUuid.get(id.toLowerCase());
      if (index === undefined || !indexes.has(index)) missing.push(id);
      else if (!found.includes(index)) found.push(index);
    }
    return { indexes: found.sort((a, b) => a - b), missing, wanted: ids.length };
  };
}
