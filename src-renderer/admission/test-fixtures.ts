// Decisions, checks and policies for the renderer's admission tests, in the contract's shapes.
import type { AdmissionCheck, AdmissionDecision } from '@shared/contract';

const GiB = 1024 ** 3;

export function check(over: Partial<AdmissionCheck> & Pick<AdmissionCheck, 'id'>): AdmissionCheck {
  return {
    label: over.id,
    observed: 50,
    limit: 85,
    after: 60,
    unit: 'percent',
    status: 'pass',
    mode: 'enforce',
    sentence: `${over.id} passes`,
    ...over,
  };
}

export function decision(over: Partial<AdmissionDecision> = {}): AdmissionDecision {
  return {
    id: 1,
    admitted: true,
    outcome: 'admitted',
    mode: 'enforce',
    checks: [check({ id: 'memory_percent' }), check({ id: 'cpu_percent' })],
    summary: 'Admitted: every check passed',
    wouldReject: false,
    request: {
      action: 'launch',
      engine: 'local',
      project: 'default',
      image: 'busybox:latest',
      container: null,
      memoryBytes: 1 * GiB,
      memoryCountedBytes: 1 * GiB,
      cpus: null,
      gpus: null,
      pullBytes: null,
    },
    facts: {
      snapshotTs: 1000,
      memory: { totalBytes: 16 * GiB, usedBytes: 8 * GiB, reservedBytes: 0 },
      cpuPercent: 10,
      cores: 8,
      load1: 1,
      diskFreeBytes: 100 * GiB,
      diskMount: '/',
      gpus: null,
      reservations: 0,
      projectUsage: { containers: 0, memoryBytes: 0, cpus: 0, gpus: 0 },
    },
    actor: 'user',
    at: 1000,
    ...over,
  };
}
