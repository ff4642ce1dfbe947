// The ranked checks as the contract shows them, and decide()'s summary, request and facts.
import type { AdmissionCheck, AdmissionCheckId, AdmissionFacts, AdmissionRequestSummary, ProjectUsage } from '@shared/contract';
import type { DecideInput, Demand, HostFacts } from './facts';
import type { Draft } from './check-parts';

const LABELS: Record<AdmissionCheckId, string> = {
  memory_percent: 'Memory after launch',
  memory_free: 'Free memory after launch',
  cpu_percent: 'CPU busy',
  cpu_count: 'CPUs asked for',
  load: 'Load average',
  gpu_exists: 'GPUs exist',
  gpu_free: 'GPUs free',
  gpu_memory: 'GPU memory free',
  disk_free: 'Disk space for the pull',
  quota_containers: 'Project containers',
  quota_memory: 'Project memory',
  quota_cpus: 'Project CPUs',
  quota_gpus: 'Project GPUs',
};

/** A draft as the contract's AdmissionCheck: its label and the mode it ran under (fields in one order, optional ones only when set). */
export function withMode(d: Draft, policy: DecideInput['policy']): AdmissionCheck {
  const c: AdmissionCheck = { id: d.id, label: LABELS[d.id], observed: d.observed, limit: d.limit, after: d.after, unit: d.unit, status: d.status, mode: policy.checks[d.id] ?? policy.mode, sentence: d.sentence };
  if (d.canNeverFit) c.canNeverFit = true;
  if (d.remedy !== undefined) c.remedy = d.remedy;
  return c;
}

function why(c: AdmissionCheck): string {
  return c.remedy ? `${c.sentence}; ${c.remedy}` : c.sentence;
}

export function summarise(admitted: boolean, mode: string, blocking: AdmissionCheck[], violations: AdmissionCheck[], checks: AdmissionCheck[], unknown: 'refuse' | 'warn'): string {
  const more = (n: number) => (n > 1 ? ` (and ${n - 1} more)` : '');
  if (!admitted) return `Refused: ${why(blocking[0]!)}${more(blocking.length)}`;
  if (violations.length) {
    return mode === 'dry_run' ? `Dry run, would be refused: ${why(violations[0]!)}${more(violations.length)}` : `Admitted in ${mode} mode despite: ${why(violations[0]!)}${more(violations.length)}`;
  }
  const warned = unknown === 'warn' ? checks.filter((c) => c.status === 'unknown').length : 0;
  const tail = warned ? ` (${warned} unknown, passed with a warning)` : '';
  return mode === 'dry_run' ? `Dry run: every check passed${tail}` : `Admitted: every check passed${tail}`;
}

export function requestSummary(d: Demand): AdmissionRequestSummary {
  return {
    action: d.action,
    engine: d.engine,
    project: d.project,
    image: d.image,
    container: d.container,
    memoryBytes: d.memoryBytes,
    memoryCountedBytes: d.memoryCounted,
    cpus: d.cpus,
    gpus: d.gpus ? { count: d.gpus.count, deviceIds: d.gpus.deviceIds } : null,
    pullBytes: d.pullBytes,
  };
}

export function factsSummary(host: HostFacts, reservedMemory: number, held: number, heldBy: ReadonlyMap<number, string[]>, usage: ProjectUsage): AdmissionFacts {
  return {
    snapshotTs: host.ts,
    memory: host.memory ? { totalBytes: host.memory.totalBytes, usedBytes: host.memory.usedBytes, reservedBytes: reservedMemory } : null,
    cpuPercent: host.cpuPercent,
    cores: host.cores,
    load1: host.load1,
    diskFreeBytes: host.disk?.freeBytes ?? null,
    diskMount: host.disk?.mount ?? null,
    gpus: host.gpus?.map((g) => ({ index: g.index, uuid: g.uuid, memoryFreeMiB: g.memoryFreeMiB, memoryTotalMiB: g.memoryTotalMiB, heldBy: heldBy.get(g.index) ?? [] })) ?? null,
    reservations: held,
    projectUsage: usage,
  };
}
