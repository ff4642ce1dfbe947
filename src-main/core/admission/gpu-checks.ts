// The GPU checks for decide(): the GPUs asked for exist, are free, and have memory free.
import type { Demand, HostFacts } from './facts';
import { type Draft, type Holder, MiB, type Resolve, unknownCheck } from './check-parts';
import { bytes, either, gpuList, gpus as gpuWords, list, named } from './words';

export function gpuChecks(demand: Demand, host: HostFacts, others: Holder[], heldBy: ReadonlyMap<number, string[]>, resolve: Resolve, marginMiB: number): Draft[] {
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
