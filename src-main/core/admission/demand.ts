// What a request asks of the machine (facts.ts Demand): a launch's spec, or the container a start,
// unpause or restart would run (as inspected just before). A container already running or paused
// holds its memory and GPUs: acting on it adds nothing but CPU.
import type { ContainerDetail, LaunchSpec } from '@shared/contract';
import type { DeviceRequest } from '@shared/gpus';
import type { Demand, GpuClaim } from './facts';
import { claimFromDeviceRequests, containerGpuClaim } from './gpu-claims';

/** The GPUs a launch spec asks for: its --gpus, else NVIDIA_VISIBLE_DEVICES under the nvidia runtime. */
export function specGpuClaim(spec: Pick<LaunchSpec, 'gpus' | 'env' | 'runtime'>, defaultRuntime: string | null): GpuClaim | null {
  return containerGpuClaim({
    deviceRequests: spec.gpus ? [spec.gpus] : [],
    env: spec.env?.map((e) => `${e.key}=${e.value}`),
    runtime: spec.runtime ?? null,
    defaultRuntime,
  });
}

/** A byte count as the caller gave it, else null: the pull size comes from outside the contract's schemas (a catalog entry), so it is checked here. */
const byteCount = (n: number | null | undefined): number | null => (typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : null);

/**
 * A launch (or a preview of one) of `spec` on `engine`; a launch without a memory limit counts
 * `defaultMemory`. `pullBytes` (the compressed download size) and `imagePresent` are what the caller
 * knew of the pull before the gate (see PullFacts in ../lifecycle/admission.ts); an image known to be
 * present pulls nothing, whatever size is given.
 */
export function launchDemand(
  spec: Pick<LaunchSpec, 'image' | 'project' | 'memory' | 'cpus' | 'gpus' | 'env' | 'runtime' | 'name'> & { pull?: LaunchSpec['pull'] },
  o: { engine: string; defaultMemory: number; defaultRuntime: string | null; pullBytes?: number | null; imagePresent?: boolean; action?: 'launch' | 'check' },
): Demand {
  const memory = spec.memory ?? null;
  // pull "always" pulls a present image again: what that downloads (only the layers that changed) is not known.
  const present = spec.pull === 'always' && o.imagePresent === true ? undefined : o.imagePresent;
  return {
    action: o.action ?? 'launch',
    engine: o.engine,
    project: spec.project,
    image: spec.image,
    container: null,
    memoryBytes: memory,
    hostMemoryBytes: memory ?? o.defaultMemory,
    memoryCounted: memory ?? o.defaultMemory,
    cpus: spec.cpus ?? null,
    gpus: specGpuClaim(spec, o.defaultRuntime),
    pullBytes: o.imagePresent === true ? null : byteCount(o.pullBytes),
    ...(present !== undefined ? { imagePresent: present } : {}),
    newContainer: true,
  };
}

/** Starting, unpausing or restarting `c`: what it will hold, and what it adds (nothing but CPU when it already runs or is paused). */
export function containerDemand(c: ContainerDetail, action: 'start' | 'unpause' | 'restart' | 'check', o: { engine: string; defaultMemory: number; defaultRuntime: string | null }): Demand {
  const holding = c.state === 'running' || c.state === 'paused' || c.state === 'restarting';
  const counted = c.memory ?? o.defaultMemory;
  const gpus: GpuClaim | null = containerGpuClaim({ deviceRequests: c.gpus as DeviceRequest[], env: c.env, runtime: c.runtime, defaultRuntime: o.defaultRuntime }) ?? claimFromDeviceRequests(c.launchSpec?.gpus ? [c.launchSpec.gpus] : []);
  return {
    action,
    engine: o.engine,
    project: c.project ?? 'default',
    image: c.image,
    container: { id: c.id, name: c.name },
    memoryBytes: c.memory,
    hostMemoryBytes: holding ? 0 : counted,
    memoryCounted: counted,
    cpus: c.nanoCpus ? c.nanoCpus / 1e9 : null,
    gpus,
    pullBytes: null,
    newContainer: !holding,
  };
}
