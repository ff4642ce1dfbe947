import { describe, expect, it } from 'vitest';
import type { ProjectQuota, ProjectUsage } from '@shared/contract';
import { auditFindings, overQuota } from './audit';
import type { GpuFact, RunningContainer } from './facts';

const GiB = 1024 ** 3;
const c = (name: string, o: Partial<RunningContainer> = {}): RunningContainer => ({ id: `${name}-id`, name, project: 'ml', state: 'running', memoryLimit: null, cpus: null, gpus: null, ...o });
const quota = (o: Partial<ProjectQuota>): ProjectQuota => ({ project: 'ml', containers: null, memoryBytes: null, cpus: null, gpus: null, updatedAt: 1, updatedBy: 'user', ...o });
const gpus: GpuFact[] = [0, 1].map((index) => ({ index, uuid: `GPU-${index}`, memoryTotalMiB: 1000, memoryFreeMiB: 500, fault: null, processes: [] }));

describe('the audit of what runs', () => {
  it('reports a project over a quota lowered below its usage, a GPU held twice, a container without a decision — and acts on none', () => {
    const running = [c('a', { gpus: { count: 1, deviceIds: null } }), c('b', { gpus: { count: 0, deviceIds: ['0'] } }), c('c', { project: 'web' })];
    const usage: Record<string, ProjectUsage> = { ml: { containers: 2, memoryBytes: 4 * GiB, cpus: 16, gpus: 2 } };
    const found = auditFindings({
      engine: { id: 'local', name: 'local' },
      running,
      quotas: [quota({ containers: 1, memoryBytes: 8 * GiB, gpus: 1 })],
      usageOf: (p) => usage[p] ?? { containers: 0, memoryBytes: 0, cpus: 0, gpus: 0 },
      admitted: new Set(['a-id', 'b-id']),
      gpus,
    });
    expect(found).toEqual([
      { kind: 'quota', project: 'ml', containers: [{ id: 'a-id', name: 'a' }, { id: 'b-id', name: 'b' }], sentence: 'Project `ml` is over its quota: 2 containers (quota 1) and 2 GPUs (quota 1) (nothing is stopped)' },
      { kind: 'gpu_shared', project: null, containers: [{ id: 'a-id', name: 'a' }, { id: 'b-id', name: 'b' }], sentence: 'GPU 0 is held by `a` and `b` at once' },
      { kind: 'unadmitted', project: 'web', containers: [{ id: 'c-id', name: 'c' }], sentence: "`c` runs without an admission decision (started outside MLEnv, or brought back by Docker's restart policy)" },
    ]);
  });

  it('names the engine when it is not the local one, and finds nothing when all is within', () => {
    const f = auditFindings({ engine: { id: 'e1', name: 'gpu-box' }, running: [c('a')], quotas: [quota({ cpus: 1 })], usageOf: () => ({ containers: 1, memoryBytes: GiB, cpus: 2, gpus: 0 }), admitted: new Set(['a-id']), gpus: null });
    expect(f).toEqual([{ kind: 'quota', project: 'ml', containers: [{ id: 'a-id', name: 'a' }], sentence: 'Project `ml` is over its quota on engine gpu-box: 2 CPUs (quota 1 CPU) (nothing is stopped)' }]);
    expect(auditFindings({ engine: { id: 'local', name: 'local' }, running: [c('a')], quotas: [], usageOf: () => ({ containers: 1, memoryBytes: 0, cpus: 0, gpus: 0 }), admitted: new Set(['a-id']), gpus })).toEqual([]);
    expect(overQuota(quota({ memoryBytes: GiB }), { containers: 0, memoryBytes: GiB, cpus: 0, gpus: 0 })).toEqual([]);
  });
});
