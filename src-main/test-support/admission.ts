// A recorded admission decision, for tests that put decisions (and the ledger's reservations on them)
// in the store themselves instead of deciding through the gate.
import type { AdmissionDecision, AdmissionRequestSummary } from '@shared/contract';
import { TEST_IMAGE } from './index';

/**
 * A decision as the gate records one: an admitted launch of TEST_IMAGE on engine `local` that passed
 * every check, at `at` (ms since epoch; also its snapshot's time), with no memory limit and nothing
 * counted. `request` overrides fields of the request summary; `o` the rest of the decision.
 */
export function recordedDecision(
  at: number,
  request: Partial<AdmissionRequestSummary> = {},
  o: Partial<Omit<AdmissionDecision, 'id' | 'reservation' | 'request'>> = {},
): Omit<AdmissionDecision, 'id' | 'reservation'> {
  return {
    admitted: true,
    outcome: 'admitted',
    mode: 'enforce',
    checks: [],
    summary: 'Admitted: every check passed',
    wouldReject: false,
    request: { action: 'launch', engine: 'local', project: 'default', image: TEST_IMAGE, container: null, memoryBytes: null, memoryCountedBytes: 0, cpus: null, gpus: null, pullBytes: null, ...request },
    facts: { snapshotTs: at, memory: null, cpuPercent: null, cores: null, load1: null, diskFreeBytes: null, diskMount: null, gpus: null, reservations: 0, projectUsage: { containers: 0, memoryBytes: 0, cpus: 0, gpus: 0 } },
    actor: 'user',
    at,
    ...o,
  };
}
