// decide(): the admission decision, a pure function of its facts (facts.ts) — no clock, no I/O — so
// that every check, mode and ranking is tested over synthetic snapshots and the same facts always give
// the same decision. What each check compares is in the contract (ADMISSION_CHECK_IDS); the ledger's
// reservations count as follows:
// - host memory: a held reservation, and a committed one the snapshot predates (its container runs,
//   but the sampler has not seen it yet), add what they reserved to the memory in use;
// - containers, GPUs, project usage: the running list (running.ts) plus every reservation it does not
//   show yet (held, or committed after the list was taken).
import type { AdmissionCheck, AdmissionCheckId, AdmissionDecision, AdmissionFacts, AdmissionRequestSummary, ProjectUsage } from '@shared/contract';
import type { DecideInput, Demand, GpuClaim, GpuFact, HostFacts, LedgerEntry } from './facts';
import { gpuResolver, type ResolvedClaim } from './gpu-claims';
import { bytes, cpus as cpuWords, either, gpuList, gpus as gpuWords, list, named, pct } from './words';

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

type Draft = Omit<AdmissionCheck, 'label' | 'mode'>;

const MiB = 1024 ** 2;
const NONE: number[] = [];
const GiB = 1024 ** 3;

/** Rounded down to what a person would type: 0.1 GiB steps from 1 GiB up, whole MiB below. */
function floorForWords(n: number): number {
  // The epsilon keeps a value that is a whole step (6.4 GiB) from flooring to the one below through rounding.
  if (n >= GiB) return Math.floor(n / (GiB / 10) + 1e-9) * (GiB / 10);
  return Math.max(MiB, Math.floor(n / MiB + 1e-9) * MiB);
}

/** A size as `--memory` takes it, rounded up so that it covers `n`: "10.5g", "768m". */
function sizeArgument(n: number): string {
  return n >= GiB ? `${Math.ceil(n / (GiB / 10)) / 10}g` : `${Math.ceil(n / MiB)}m`;
}

/** Someone holding resources on the engine: a running (or paused) managed container, or a reservation the running list does not show yet. */
interface Holder {
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
function toStop(candidates: Holder[], size: (h: Holder) => number, need: number): Holder[] | null {
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

const sum = <T>(xs: readonly T[], f: (x: T) => number) => xs.reduce((n, x) => n + f(x), 0);

type Resolve = ((claim: GpuClaim) => ResolvedClaim) | null;

/** How many GPUs a claim holds: resolved on this machine's GPUs when known; null when it cannot be told (all, with the GPUs unknown). */
function claimSize(claim: GpuClaim | null, resolve: Resolve, resolved?: ResolvedClaim): number | null {
  if (!claim) return 0;
  if (resolve) {
    const r = resolved ?? resolve(claim);
    return r.indexes.length + r.missing.length;
  }
  if (claim.count === -1) return null;
  return claim.deviceIds ? claim.deviceIds.length : claim.count;
}

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

/** A draft as the contract's AdmissionCheck: its label and the mode it ran under (fields in one order, optional ones only when set). */
function withMode(d: Draft, policy: DecideInput['policy']): AdmissionCheck {
  const c: AdmissionCheck = { id: d.id, label: LABELS[d.id], observed: d.observed, limit: d.limit, after: d.after, unit: d.unit, status: d.status, mode: policy.checks[d.id] ?? policy.mode, sentence: d.sentence };
  if (d.canNeverFit) c.canNeverFit = true;
  if (d.remedy !== undefined) c.remedy = d.remedy;
  return c;
}

function why(c: AdmissionCheck): string {
  return c.remedy ? `${c.sentence}; ${c.remedy}` : c.sentence;
}

function summarise(admitted: boolean, mode: string, blocking: AdmissionCheck[], violations: AdmissionCheck[], checks: AdmissionCheck[], unknown: 'refuse' | 'warn'): string {
  const more = (n: number) => (n > 1 ? ` (and ${n - 1} more)` : '');
  if (!admitted) return `Refused: ${why(blocking[0]!)}${more(blocking.length)}`;
  if (violations.length) {
    return mode === 'dry_run' ? `Dry run, would be refused: ${why(violations[0]!)}${more(violations.length)}` : `Admitted in ${mode} mode despite: ${why(violations[0]!)}${more(violations.length)}`;
  }
  const warned = unknown === 'warn' ? checks.filter((c) => c.status === 'unknown').length : 0;
  const tail = warned ? ` (${warned} unknown, passed with a warning)` : '';
  return mode === 'dry_run' ? `Dry run: every check passed${tail}` : `Admitted: every check passed${tail}`;
}

function requestSummary(d: Demand): AdmissionRequestSummary {
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

function factsSummary(host: HostFacts, reservedMemory: number, held: number, heldBy: ReadonlyMap<number, string[]>, usage: ProjectUsage): AdmissionFacts {
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

const unknownCheck = (id: AdmissionCheckId, unit: AdmissionCheck['unit'], sentence: string): Draft => ({ id, observed: null, limit: null, after: null, unit, status: 'unknown', sentence });

/** "stop `a` (6 GiB) or `b` (3 GiB)": each holder with what it frees. */
const stopWords = (hs: Holder[], size?: (h: Holder) => string) => `stop ${list(hs.map((h) => (size ? `${named(h.name)} (${size(h)})` : named(h.name))))}`;

function memoryChecks(demand: Demand, host: HostFacts, reserved: number, stoppable: Holder[], t: DecideInput['policy']['thresholds'], doing: string): Draft[] {
  const m = host.memory;
  if (!m) {
    const w = `Memory unknown: ${host.unknownWhy ?? 'the sampler has no figure'}`;
    return [unknownCheck('memory_percent', 'percent', w), unknownCheck('memory_free', 'bytes', w)];
  }
  const total = m.totalBytes;
  const inUse = m.usedBytes;
  const growth = demand.hostMemoryBytes;
  const observed = inUse + reserved;
  const after = observed + growth;
  const asked = demand.memoryBytes === null ? `${bytes(growth)} counted (no memory limit set: the default for a launch without one)` : `${bytes(growth)} requested`;
  const parts = `${bytes(inUse)} in use${reserved ? ` + ${bytes(reserved)} reserved by launches under way` : ''}${growth ? ` + ${asked}` : ''} of ${bytes(total)}`;
  const freed = (h: Holder) => h.memoryUsed ?? h.memoryCounted;
  const settable = demand.action === 'launch' || demand.action === 'check' || demand.action === 'start' || demand.action === 'restart';
  const remedy = (excess: number, neverFits: boolean): string | undefined => {
    const lowerTo = growth - excess;
    const lower = settable && lowerTo >= MiB ? `${demand.memoryBytes === null ? 'set a memory limit of' : 'lower the memory to'} ${bytes(floorForWords(lowerTo))}` : undefined;
    if (neverFits) return lower ?? `this machine has ${bytes(total)} of memory`;
    const stop = toStop(stoppable, freed, excess);
    const options = [stop ? stopWords(stop, (h) => bytes(freed(h))) : undefined, lower].filter((x): x is string => !!x);
    return options.length ? either(options) : 'wait for the launches under way to finish';
  };

  const limitBytes = (total * t.memoryMaxPercent) / 100;
  const afterPct = total ? (100 * after) / total : 100;
  const observedPct = (100 * observed) / total;
  let percent: Draft;
  if (growth === 0) {
    percent = { id: 'memory_percent', observed: observedPct, limit: t.memoryMaxPercent, after: observedPct, unit: 'percent', status: 'pass', sentence: `Memory stays at ${pct(observedPct)} (limit ${pct(t.memoryMaxPercent)}): ${doing} adds none` };
  } else if (after <= limitBytes) {
    percent = { id: 'memory_percent', observed: observedPct, limit: t.memoryMaxPercent, after: afterPct, unit: 'percent', status: 'pass', sentence: `Memory after launch ${pct(afterPct)} (limit ${pct(t.memoryMaxPercent)}): ${parts}` };
  } else {
    // Never: the request alone is beyond the limit on this machine (what else runs can stop; the machine cannot grow).
    const neverFits = growth > limitBytes;
    percent = {
      id: 'memory_percent',
      observed: observedPct,
      limit: t.memoryMaxPercent,
      after: afterPct,
      unit: 'percent',
      status: 'fail',
      sentence: `Memory would reach ${pct(afterPct)} (limit ${pct(t.memoryMaxPercent)}): ${parts}`,
      ...(neverFits ? { canNeverFit: true } : {}),
      remedy: remedy(after - limitBytes, neverFits),
    };
  }

  const freeNow = total - observed;
  const freeAfter = total - after;
  const freeFigures = { id: 'memory_free', observed: freeNow, limit: t.memoryMinFreeBytes, after: freeAfter, unit: 'bytes' } as const;
  let free: Draft;
  if (growth === 0 || freeAfter >= t.memoryMinFreeBytes) {
    free = {
      ...freeFigures,
      status: 'pass',
      sentence: growth === 0 ? `${bytes(freeNow)} of memory free; ${doing} adds none` : `${bytes(freeAfter)} of memory would stay free (at least ${bytes(t.memoryMinFreeBytes)} must): ${parts}`,
    };
  } else {
    const neverFits = total - growth < t.memoryMinFreeBytes;
    free = {
      ...freeFigures,
      status: 'fail',
      sentence:
        freeAfter < 0
          ? `Memory would be overcommitted by ${bytes(-freeAfter)} (at least ${bytes(t.memoryMinFreeBytes)} must stay free): ${parts}`
          : `Only ${bytes(freeAfter)} of memory would stay free (at least ${bytes(t.memoryMinFreeBytes)} must): ${parts}`,
      ...(neverFits ? { canNeverFit: true } : {}),
      remedy: remedy(t.memoryMinFreeBytes - freeAfter, neverFits),
    };
  }
  return [percent, free];
}

function cpuChecks(demand: Demand, host: HostFacts, stoppable: Holder[], t: DecideInput['policy']['thresholds'], doing: string): Draft[] {
  // Restarting a container that runs adds no load (a pegged machine must not keep a hung container from restarting); an unpause resumes one.
  const adds = demand.newContainer || demand.action === 'unpause';
  const none = `; ${doing} adds none`;
  // Only worded for a failed check: the two busiest containers.
  const calm = () => {
    const busiest = stoppable.filter((h) => (h.cpuPercent ?? 0) >= 5).sort((a, b) => (b.cpuPercent ?? 0) - (a.cpuPercent ?? 0)).slice(0, 2);
    return `wait until it falls${busiest.length ? `, or ${stopWords(busiest, (h) => `${pct(h.cpuPercent!)} of the CPUs`)}` : ''}`;
  };
  const out: Draft[] = [];

  const p = host.cpuPercent;
  if (p === null) out.push(unknownCheck('cpu_percent', 'percent', `CPU unknown: ${host.unknownWhy ?? 'the sampler has no figure yet'}`));
  else {
    const over = `${host.cpuWindowSeconds > 0 ? `averaged over the last ${host.cpuWindowSeconds} s` : 'in the last sample'}`;
    out.push(
      p <= t.cpuMaxPercent || !adds
        ? { id: 'cpu_percent', observed: p, limit: t.cpuMaxPercent, after: p, unit: 'percent', status: 'pass', sentence: `CPU ${pct(p)} busy, ${over} (limit ${pct(t.cpuMaxPercent)})${adds ? '' : none}` }
        : { id: 'cpu_percent', observed: p, limit: t.cpuMaxPercent, after: p, unit: 'percent', status: 'fail', sentence: `CPU is ${pct(p)} busy, ${over} (limit ${pct(t.cpuMaxPercent)})`, remedy: calm() },
    );
  }

  const cores = host.cores;
  if (demand.cpus === null) out.push({ id: 'cpu_count', observed: cores, limit: cores, after: null, unit: 'cpus', status: 'pass', sentence: 'No CPU limit asked (the container may use every CPU)' });
  else if (cores === null) out.push(unknownCheck('cpu_count', 'cpus', `${cpuWords(demand.cpus)} asked for; the number of CPUs is unknown: ${host.unknownWhy ?? 'no snapshot yet'}`));
  else if (demand.cpus <= cores) out.push({ id: 'cpu_count', observed: cores, limit: cores, after: demand.cpus, unit: 'cpus', status: 'pass', sentence: `${cpuWords(demand.cpus)} asked for; this machine has ${cores}` });
  else {
    out.push({ id: 'cpu_count', observed: cores, limit: cores, after: demand.cpus, unit: 'cpus', status: 'fail', canNeverFit: true, sentence: `${cpuWords(demand.cpus)} asked for; this machine has ${cores}`, remedy: `lower the CPUs to ${cores} or fewer` });
  }

  const load = host.load1;
  if (load === null || cores === null) out.push(unknownCheck('load', 'load', `Load average unknown: ${host.unknownWhy ?? 'no snapshot yet'}`));
  else {
    const limit = t.loadMaxPerCore * cores;
    const words = `Load average ${Math.round(load * 100) / 100} (limit ${Math.round(limit * 100) / 100}: ${t.loadMaxPerCore} × ${cores} cores)`;
    out.push(load <= limit || !adds ? { id: 'load', observed: load, limit, after: load, unit: 'load', status: 'pass', sentence: `${words}${adds ? '' : none}` } : { id: 'load', observed: load, limit, after: load, unit: 'load', status: 'fail', sentence: words, remedy: calm() });
  }
  return out;
}

function gpuChecks(demand: Demand, host: HostFacts, others: Holder[], heldBy: ReadonlyMap<number, string[]>, resolve: Resolve, marginMiB: number): Draft[] {
  const claim = demand.gpus;
  if (!claim) {
    return (['gpu_exists', 'gpu_free', 'gpu_memory'] as const).map((id): Draft => ({ id, observed: null, limit: null, after: null, unit: id === 'gpu_memory' ? 'bytes' : 'gpus', status: 'pass', sentence: 'No GPU asked for' }));
  }
  const gpus = host.gpus;
  if (!gpus) {
    const w = `GPUs unknown: ${host.gpuWhy ?? host.unknownWhy ?? 'nvidia-smi has not answered'}`;
    return [unknownCheck('gpu_exists', 'gpus', w), unknownCheck('gpu_free', 'gpus', w), unknownCheck('gpu_memory', 'bytes', w)];
  }
  const all = gpus.map((g) => g.index).sort((a, b) => a - b);
  const has = gpus.length ? `this machine has ${gpuWords(gpus.length)} (${gpuList(all).replace(/^GPUs? /, '')})` : `this machine has no NVIDIA GPU${host.gpuWhy ? ` (${host.gpuWhy})` : ''}`;
  const r = resolve!(claim);
  const out: Draft[] = [];

  // Exist: a count within the machine's GPUs, ids that name one of them.
  if ((claim.count === -1 && gpus.length === 0) || claim.count > gpus.length) {
    const asked = claim.count === -1 ? 'Every GPU asked for' : `${gpuWords(claim.count)} asked for`;
    out.push({ id: 'gpu_exists', observed: gpus.length, limit: gpus.length, after: claim.count === -1 ? 0 : claim.count, unit: 'gpus', status: 'fail', canNeverFit: true, sentence: `${asked}; ${has}`, remedy: gpus.length ? `ask for at most ${gpuWords(gpus.length)}` : 'launch without GPUs' });
  } else if (r.missing.length) {
    const ids = r.missing.map((id) => (/^\d+$/.test(id) ? `GPU ${id}` : id));
    out.push({ id: 'gpu_exists', observed: gpus.length, limit: gpus.length, after: r.wanted, unit: 'gpus', status: 'fail', canNeverFit: true, sentence: `${list(ids)} ${ids.length === 1 ? 'is' : 'are'} not a GPU of this machine; ${has}`, remedy: gpus.length ? `choose among ${gpuList(all)}` : 'launch without GPUs' });
  } else {
    out.push({ id: 'gpu_exists', observed: gpus.length, limit: gpus.length, after: r.wanted, unit: 'gpus', status: 'pass', sentence: `${r.indexes.length ? gpuList(r.indexes) : 'The MIG devices asked for'}: ${has}` });
  }
  const chosen = r.indexes;

  // Free: no other running managed container (or launch under way) holds them.
  const held = chosen.filter((i) => heldBy.has(i));
  if (!held.length) {
    out.push({ id: 'gpu_free', observed: 0, limit: 0, after: 0, unit: 'gpus', status: 'pass', sentence: chosen.length ? `No other container holds ${gpuList(chosen)}` : 'Nothing to judge: no GPU of this machine matches the request' });
  } else {
    const names = [...new Set(held.flatMap((i) => heldBy.get(i)!))];
    const free = all.filter((i) => !heldBy.has(i));
    const byCount = claim.count > 0 ? ` (--gpus ${claim.count} always gets ${gpuList(chosen)}: Docker hands out GPUs from 0)` : claim.count === -1 ? ' (every GPU was asked for)' : '';
    const options = [`stop ${list(names.map(named))}`];
    if (claim.count !== -1 && free.length >= r.wanted) options.push(`ask for "device=${free.slice(0, r.wanted).join(',')}" (free)`);
    out.push({ id: 'gpu_free', observed: held.length, limit: 0, after: held.length, unit: 'gpus', status: 'fail', sentence: `${gpuList(held)} ${held.length === 1 ? 'is' : 'are'} held by ${list(names.map(named))}${byCount}`, remedy: either(options) });
  }

  // Memory: each chosen GPU healthy, with more than the margin free.
  const marginBytes = marginMiB * MiB;
  const facts = chosen.map((i) => gpus.find((g) => g.index === i)!);
  const faulted = facts.filter((g) => g.fault);
  const unknownMem = facts.filter((g) => !g.fault && g.memoryFreeMiB === null);
  const known = facts.filter((g) => !g.fault && g.memoryFreeMiB !== null);
  const minFree = known.length ? Math.min(...known.map((g) => g.memoryFreeMiB!)) * MiB : null;
  const low = known.filter((g) => g.memoryFreeMiB! * MiB < marginBytes);
  if (faulted.length) {
    out.push({ id: 'gpu_memory', observed: minFree, limit: marginBytes, after: minFree, unit: 'bytes', status: 'fail', sentence: faulted.map((g) => `GPU ${g.index} reports a fault: ${g.fault}`).join('; '), remedy: 'choose another GPU, or reset this one (nvidia-smi -r) once nothing uses it' });
  } else if (low.length) {
    const byId = new Map(others.filter((h) => h.id).map((h) => [h.id!, h.name]));
    const users = low.flatMap((g) =>
      (g.processes ?? []).filter((p) => p.containerId && byId.has(p.containerId) && p.usedMiB).map((p) => ({ name: byId.get(p.containerId!)!, text: `${bytes(p.usedMiB! * MiB)} on GPU ${g.index}` })),
    );
    const roomy = gpus.filter((g) => !chosen.includes(g.index) && !g.fault && !heldBy.has(g.index) && (g.memoryFreeMiB ?? 0) * MiB >= marginBytes);
    const options = [
      users.length ? `stop ${list(users.map((u) => `${named(u.name)} (${u.text})`))}` : undefined,
      claim.count !== -1 && roomy.length ? `choose ${either(roomy.map((g) => `GPU ${g.index} (${bytes(g.memoryFreeMiB! * MiB)} free)`))}` : undefined,
    ].filter((x): x is string => !!x);
    out.push({
      id: 'gpu_memory',
      observed: minFree,
      limit: marginBytes,
      after: minFree,
      unit: 'bytes',
      status: 'fail',
      sentence: low.map((g) => `GPU ${g.index} has only ${bytes(g.memoryFreeMiB! * MiB)} free`).join('; ') + ` (at least ${bytes(marginBytes)} must be)`,
      remedy: options.length ? either(options) : 'wait for the processes on it to finish',
    });
  } else if (unknownMem.length) {
    out.push(unknownCheck('gpu_memory', 'bytes', `${gpuList(unknownMem.map((g) => g.index))}: free memory unknown (nvidia-smi does not report it)`));
  } else {
    out.push({ id: 'gpu_memory', observed: minFree, limit: marginBytes, after: minFree, unit: 'bytes', status: 'pass', sentence: minFree === null ? 'Nothing to judge: no GPU of this machine matches the request' : `${bytes(minFree)} free on the fullest GPU asked for (at least ${bytes(marginBytes)} must be)` });
  }
  return out;
}

/**
 * What a pull takes on Docker's data root per byte downloaded, beyond the download itself: layers are
 * stored extracted, while registries report compressed (gzip) sizes — the manifest's config.size +
 * Σ layers[].size; `docker image ls` shows the larger, extracted size (AWS ECR's DescribeImages
 * documentation notes the same difference). gzip roughly halves the binaries, libraries and Python
 * packages of ML images, so 2 is taken: an estimate, not a measurement, and the sentence says "about".
 */
export const EXTRACTED_PER_COMPRESSED_BYTE = 2;

/**
 * The disk a pull of `compressed` bytes (the registry's download size) needs: the download itself —
 * the containerd image store (Docker Engine 29's default on a fresh install) keeps the compressed
 * blobs next to the unpacked snapshots, and with overlay2 they wait in Docker's tmp folder until
 * extracted — plus their extraction (EXTRACTED_PER_COMPRESSED_BYTE). An estimate: the exact extracted
 * size is only known once the layers are unpacked.
 */
export const pullDiskBytes = (compressed: number): number => compressed * (1 + EXTRACTED_PER_COMPRESSED_BYTE);

function diskCheck(demand: Demand, host: HostFacts, margin: number): Draft {
  if (demand.container) {
    return { id: 'disk_free', observed: host.disk?.freeBytes ?? null, limit: margin, after: host.disk?.freeBytes ?? null, unit: 'bytes', status: 'pass', sentence: 'Nothing to pull' };
  }
  const d = host.disk;
  if (!d) return unknownCheck('disk_free', 'bytes', `Free space on Docker's data root unknown: ${host.diskWhy ?? host.unknownWhy ?? 'not measured yet'}`);
  // A pull counts only when the caller knew the image is missing and its size (a catalog launch); else the margin alone is checked, and the sentence says why.
  const pull = demand.imagePresent === true || demand.pullBytes === null ? null : demand.pullBytes;
  const need = pull === null ? 0 : pullDiskBytes(pull);
  const after = d.freeBytes - need;
  const what =
    demand.imagePresent === true
      ? 'the image is on the engine: nothing to pull'
      : pull === null
        ? `${demand.imagePresent === false ? 'the image is not on the engine and its size is unknown' : 'image size unknown'}: only the margin is checked`
        : `the pull needs about ${bytes(need)} (a ${bytes(pull)} download, compressed, + about ${bytes(need - pull)} extracted) and would leave ${bytes(Math.max(0, after))}`;
  const sentence = `${bytes(d.freeBytes)} free on ${d.mount} (Docker's data root); ${what} (at least ${bytes(margin)} must stay free)`;
  if (after >= margin) return { id: 'disk_free', observed: d.freeBytes, limit: margin, after, unit: 'bytes', status: 'pass', sentence };
  const neverFits = need + margin > d.totalBytes;
  return {
    id: 'disk_free',
    observed: d.freeBytes,
    limit: margin,
    after,
    unit: 'bytes',
    status: 'fail',
    sentence,
    ...(neverFits ? { canNeverFit: true, remedy: `the disk holding ${d.mount} is ${bytes(d.totalBytes)} in all: move Docker's data root to a larger one` } : { remedy: `free ${bytes(margin - after)} on ${d.mount} (docker image prune removes unused images)` }),
  };
}

function quotaChecks(demand: Demand, quota: DecideInput['quota'], usage: ProjectUsage, members: Holder[], host: HostFacts, gpuUsageUnknown: boolean, resolve: Resolve): Draft[] {
  const p = named(demand.project);
  const adds = demand.newContainer;
  const raise = (flag: string, value: string) => `raise the quota (mlenv quota set ${demand.project} --${flag} ${value})`;
  const stopIn = (size: (h: Holder) => number, need: number, words?: (h: Holder) => string) => {
    const hs = toStop(members, size, need);
    return hs ? stopWords(hs, words) : undefined;
  };
  const none = (id: AdmissionCheckId, unit: AdmissionCheck['unit'], what: string, observed: number): Draft => ({ id, observed, limit: null, after: null, unit, status: 'pass', sentence: `No ${what} quota for project ${p}` });
  const out: Draft[] = [];

  // Containers.
  const maxC = quota?.containers ?? null;
  if (maxC === null) out.push(none('quota_containers', 'containers', 'container', usage.containers));
  else {
    const after = usage.containers + (adds ? 1 : 0);
    const sentence = `Project ${p} would have ${after} container${after === 1 ? '' : 's'} (quota ${maxC}): ${usage.containers} running or being launched${adds ? ' + this one' : ''}`;
    if (after <= maxC) out.push({ id: 'quota_containers', observed: usage.containers, limit: maxC, after, unit: 'containers', status: 'pass', sentence });
    else {
      const neverFits = adds && maxC < 1;
      const options = [neverFits ? undefined : stopIn(() => 1, after - maxC), raise('containers', String(after))].filter((x): x is string => !!x);
      out.push({ id: 'quota_containers', observed: usage.containers, limit: maxC, after, unit: 'containers', status: 'fail', sentence, ...(neverFits ? { canNeverFit: true } : {}), remedy: either(options) });
    }
  }

  // Memory.
  const maxM = quota?.memoryBytes ?? null;
  if (maxM === null) out.push(none('quota_memory', 'bytes', 'memory', usage.memoryBytes));
  else {
    const mine = adds ? demand.memoryCounted : 0;
    const after = usage.memoryBytes + mine;
    const asked = demand.memoryBytes === null && adds ? ` + ${bytes(mine)} (no memory limit set: counted at the default)` : mine ? ` + ${bytes(mine)} asked for` : '';
    const sentence = `Project ${p} would hold ${bytes(after)} of memory (quota ${bytes(maxM)}): ${bytes(usage.memoryBytes)} in its containers${asked}`;
    if (after <= maxM) out.push({ id: 'quota_memory', observed: usage.memoryBytes, limit: maxM, after, unit: 'bytes', status: 'pass', sentence });
    else {
      const neverFits = mine > maxM;
      const lowerTo = mine - (after - maxM);
      const options = [
        neverFits ? undefined : stopIn((h) => h.memoryCounted, after - maxM, (h) => bytes(h.memoryCounted)),
        lowerTo >= MiB ? `${demand.memoryBytes === null ? 'set a memory limit of' : 'lower the memory to'} ${bytes(floorForWords(lowerTo))}` : undefined,
        raise('memory', sizeArgument(after)),
      ].filter((x): x is string => !!x);
      out.push({ id: 'quota_memory', observed: usage.memoryBytes, limit: maxM, after, unit: 'bytes', status: 'fail', sentence, ...(neverFits ? { canNeverFit: true } : {}), remedy: either(options) });
    }
  }

  // CPUs: a container without a CPU limit may use every CPU, so it counts as all of them.
  const maxCpu = quota?.cpus ?? null;
  if (maxCpu === null) out.push(none('quota_cpus', 'cpus', 'CPU', usage.cpus));
  else if (adds && demand.cpus === null && host.cores === null) out.push(unknownCheck('quota_cpus', 'cpus', `No CPU limit set, and the number of CPUs it may use is unknown: ${host.unknownWhy ?? 'no snapshot yet'}`));
  else {
    const mine = adds ? (demand.cpus ?? host.cores ?? 0) : 0;
    const after = Math.round((usage.cpus + mine) * 100) / 100;
    const asked = adds ? (demand.cpus === null ? ` + ${cpuWords(mine)} (no CPU limit set: counted as every CPU)` : ` + ${cpuWords(mine)} asked for`) : '';
    const sentence = `Project ${p} would hold ${cpuWords(after)} (quota ${cpuWords(maxCpu)}): ${cpuWords(usage.cpus)} in its containers${asked}`;
    if (after <= maxCpu + 1e-9) out.push({ id: 'quota_cpus', observed: usage.cpus, limit: maxCpu, after, unit: 'cpus', status: 'pass', sentence });
    else {
      const neverFits = mine > maxCpu;
      const lowerTo = Math.floor((mine - (after - maxCpu)) * 100) / 100;
      const options = [
        neverFits ? undefined : stopIn((h) => h.cpus ?? host.cores ?? 0, after - maxCpu, (h) => cpuWords(h.cpus ?? host.cores ?? 0)),
        lowerTo > 0 ? `${demand.cpus === null ? 'set a CPU limit of' : 'lower the CPUs to'} ${lowerTo}` : undefined,
        raise('cpus', String(after)),
      ].filter((x): x is string => !!x);
      out.push({ id: 'quota_cpus', observed: usage.cpus, limit: maxCpu, after, unit: 'cpus', status: 'fail', sentence, ...(neverFits ? { canNeverFit: true } : {}), remedy: either(options) });
    }
  }

  // GPUs.
  const maxG = quota?.gpus ?? null;
  const mineG = adds ? claimSize(demand.gpus, resolve) : 0;
  if (maxG === null) out.push(none('quota_gpus', 'gpus', 'GPU', usage.gpus));
  else if (mineG === null || (gpuUsageUnknown && (mineG ?? 0) > 0)) out.push(unknownCheck('quota_gpus', 'gpus', `GPUs held by project ${p} unknown: ${host.gpuWhy ?? 'nvidia-smi has not answered'}`));
  else {
    const after = usage.gpus + mineG;
    const sentence = `Project ${p} would hold ${gpuWords(after)} (quota ${maxG}): ${usage.gpus} in its containers${mineG ? ` + ${mineG} asked for` : ''}`;
    if (after <= maxG) out.push({ id: 'quota_gpus', observed: usage.gpus, limit: maxG, after, unit: 'gpus', status: 'pass', sentence });
    else {
      const neverFits = mineG > maxG;
      const options = [neverFits ? undefined : stopIn((h) => h.gpuCount ?? 0, after - maxG, (h) => gpuWords(h.gpuCount ?? 0)), raise('gpus', String(after))].filter(
        (x): x is string => !!x,
      );
      out.push({ id: 'quota_gpus', observed: usage.gpus, limit: maxG, after, unit: 'gpus', status: 'fail', sentence, ...(neverFits ? { canNeverFit: true } : {}), remedy: either(options) });
    }
  }
  return out;
}
