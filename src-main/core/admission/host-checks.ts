// The host's checks for decide(): memory, CPU and load, and the disk a pull needs.
import type { DecideInput, Demand, HostFacts } from './facts';
import { type Draft, floorForWords, type Holder, MiB, stopWords, toStop, unknownCheck } from './check-parts';
import { bytes, cpus as cpuWords, either, pct } from './words';

export function memoryChecks(demand: Demand, host: HostFacts, reserved: number, stoppable: Holder[], t: DecideInput['policy']['thresholds'], doing: string): Draft[] {
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

export function cpuChecks(demand: Demand, host: HostFacts, stoppable: Holder[], t: DecideInput['policy']['thresholds'], doing: string): Draft[] {
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

export function diskCheck(demand: Demand, host: HostFacts, margin: number): Draft {
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
