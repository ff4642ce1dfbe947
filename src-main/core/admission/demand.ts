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

/** A launch (or a preview of one) of `spec` on `engine`; a launch without a memory limit counts `defaultMemory`. */
export function launchDemand(
  spec: Pick<LaunchSpec, 'image' | 'project' | 'memory' | 'cpus' | 'gpus' | 'env' | 'runtime' | 'name'>,
  o: { engine: string; defaultMemory: number; defaultRuntime: string | null; pullBytes?: number | null; action?: 'launch' | 'check' },
): Demand {
  const memory = spec.memory ?? null;
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
    pullBytes: o.pullBytes ?? null,
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
