// What the journal keeps of the GPUs: nvidia-smi's outages (one row on entering, one on recovery) and
// each GPU's faults (one row when a GPU turns faulted or lost, in nvidia-smi's words, one when it clears).
import type { GpuFault, GpuSample, GpuSourceStatus } from '@shared/contract';
import type { Journal } from './fire-and-forget';

/**
 * For the sampler's onGpuStatus: `gpu.running`, `gpu.restarting` or `gpu.absent` with the tool's words as
 * error. A missing nvidia-smi ("… not found") is a normal host without NVIDIA GPUs, not a failure: not journaled.
 */
export const journalGpuStatus = (journal: Journal) => (s: GpuSourceStatus) => {
  if (s.state === 'absent' && /not found$/.test(s.error ?? '')) return;
  journal.record({ type: `gpu.${s.state}`, outcome: s.state === 'running' ? 'ok' : 'error', error: s.error, details: { tool: s.tool } });
};

/**
 * For the sampler's onGpuFault: `gpu.fault` or `gpu.lost` with nvidia-smi's words as error, `gpu.recovered`
 * when it clears; details name the GPU (index, uuid or null when nvidia-smi never reported it, name, busId).
 */
export const journalGpuFault = (journal: Journal) => (g: GpuSample, fault: GpuFault | null) => {
  journal.record({
    type: fault ? `gpu.${fault.kind}` : 'gpu.recovered',
    outcome: fault ? 'error' : 'ok',
    error: fault?.message ?? null,
    details: { index: g.index, uuid: g.uuid || null, name: g.name, busId: g.busId },
  });
};
