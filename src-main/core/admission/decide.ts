// decide(): the admission decision, a pure function of its facts (facts.ts) — no clock, no I/O — so
// that every check, mode and ranking is tested over synthetic snapshots and the same facts always give
// the same decision. What each check compares is in the contract (ADMISSION_CHECK_IDS); the ledger's
// reservations count as follows:
// - host memory: a held reservation, and a committed one the snapshot predates (its container runs,
//   but the sampler has not seen it yet), add what they reserved to the memory in use;
// - containers, GPUs, project usage: the running list (running.ts) plus every reservation it does not
//   show yet (held, or committed after the list was taken).
import type { AdmissionCheck, AdmissionDecision, ProjectUsage } from '@shared/contract';
import type { DecideInput } from './facts';
import { gpuResolver } from './gpu-claims';
import { claimSize, type Draft, type Holder, NONE, type Resolve, sum } from './check-parts';
import { cpuChecks, diskCheck, memoryChecks } from './host-checks';
import { gpuChecks } from './gpu-checks';
import { quotaChecks } from './quota-checks';
import { factsSummary, requestSummary, summarise, withMode } from './summary';
import { named } from './words';

/**
 * The decision on `input.demand`: every check (ADMISSION_CHECK_IDS) with its figures and sentence,
 * ranked (failed checks that can never fit, then those that would fit once something stops, then
 * unknown, then passed), the outcome under the policy's modes, and a summary. No id, no reservation:
 * the service records and reserves. Pure: the same input gives the same decision.
 */
export function decide(input: DecideInput): Omit<AdmissionDecision, 'id' | 'reservation'> {
  const { demand, host, running, ledger, quota, policy } = input;
  const t = policy.thresholds;
  const self = demand.container?.id ?? null;
  const doing = !demand.container ? 'the launch' : `${demand.action === 'restart' ? 'restarting' : demand.action === 'unpause' ? 'unpausing' : 'starting'} ${named(demand.container.name)}`;

  // The ledger, as each source sees it.
  const hostCounted = ledger.filter((e) => e.state === 'held' || host.ts === null || (e.settledAt ?? 0) >= host.ts);
  const reservedMemory = sum(hostCounted, (e) => e.memoryBytes);
  const runningIds = new Set(running.containers.map((c) => c.id));
  const unseen = ledger.filter((e) => (e.state === 'held' || running.asOf === null || (e.settledAt ?? 0) >= running.asOf) && !(e.containerId && runningIds.has(e.containerId)));
  // Each holder's GPUs resolved once, on this machine's GPUs when they are known.
  const resolve: Resolve = host.gpus ? gpuResolver(host.gpus) : null;
  const holder = (h: Holder): Holder => {
    if (!h.gpus) return h;
    const r = resolve ? resolve(h.gpus) : undefined;
    h.gpuCount = claimSize(h.gpus, resolve, r);
    h.gpuIndexes = r?.indexes ?? NONE;
    return h;
  };
  const holders: Holder[] = [];
  for (const c of running.containers) {
    const u = host.usage.get(c.id);
    holders.push(holder({ id: c.id, name: c.name, project: c.project, memoryCounted: c.memoryLimit ?? t.defaultMemoryBytes, cpus: c.cpus, gpus: c.gpus, reserved: false, newContainer: true, memoryUsed: u?.memoryBytes ?? null, cpuPercent: u?.cpuPercent ?? null, gpuCount: 0, gpuIndexes: NONE }));
  }
  for (const e of unseen) {
    holders.push(holder({ id: e.containerId, name: e.name ?? 'a launch under way', project: e.project, memoryCounted: e.memoryCounted, cpus: e.cpus, gpus: e.gpus, reserved: true, newContainer: e.newContainer, memoryUsed: null, cpuPercent: null, gpuCount: 0, gpuIndexes: NONE }));
  }
  const others = holders.filter((h) => h.id === null || h.id !== self);
  const heldBy = new Map<number, string[]>();
  for (const h of others) for (const i of h.gpuIndexes) heldBy.set(i, [...(heldBy.get(i) ?? []), h.name]);
  const stoppable = others.filter((h) => !h.reserved);

  const cores = host.cores;
  const holderCpus = (h: { cpus: number | null }) => h.cpus ?? cores ?? 0;
  const inProject = holders.filter((h) => h.project === demand.project && (!h.reserved || h.newContainer));
  const projectGpuSizes = inProject.map((h) => h.gpuCount);
  const usage: ProjectUsage = {
    containers: inProject.length,
    memoryBytes: sum(inProject, (h) => h.memoryCounted),
    cpus: Math.round(sum(inProject, holderCpus) * 100) / 100,
    gpus: sum(projectGpuSizes, (n) => n ?? 0),
  };

  const drafts: Draft[] = [
    ...memoryChecks(demand, host, reservedMemory, stoppable, t, doing),
    ...cpuChecks(demand, host, stoppable, t, doing),
    ...gpuChecks(demand, host, others, heldBy, resolve, t.gpuMemoryMarginMiB),
    diskCheck(demand, host, t.diskMarginBytes),
    ...quotaChecks(demand, quota, usage, inProject.filter((h) => !h.reserved && h.id !== self), host, projectGpuSizes.includes(null), resolve),
  ];

  // Ranked: never fits, would fit once something stops, unknown, passed; in check order within each.
  const ranks: Draft[][] = [[], [], [], []];
  for (const d of drafts) ranks[d.status === 'fail' ? (d.canNeverFit ? 0 : 1) : d.status === 'unknown' ? 2 : 3]!.push(d);
  const checks: AdmissionCheck[] = [];
  for (const rank of ranks) for (const d of rank) checks.push(withMode(d, policy));

  const violates = (c: AdmissionCheck) => c.status === 'fail' || (c.status === 'unknown' && policy.unknown === 'refuse');
  const violations = checks.filter(violates);
  const blocking = violations.filter((c) => c.mode === 'enforce');
  const admitted = blocking.length === 0;
  const outcome = !admitted ? 'rejected' : violations.length ? 'violation' : 'admitted';

  return {
    admitted,
    outcome,
    mode: policy.mode,
    checks,
    summary: summarise(admitted, policy.mode, blocking, violations, checks, policy.unknown),
    wouldReject: violations.length > 0,
    request: requestSummary(demand),
    facts: factsSummary(host, reservedMemory, ledger.filter((e) => e.state === 'held').length, heldBy, usage),
    actor: input.actor,
    at: input.now,
  };
}
