// The project quota checks for decide(): containers, memory, CPUs and GPUs.
import type { AdmissionCheck, AdmissionCheckId, ProjectUsage } from '@shared/contract';
import type { DecideInput, Demand, HostFacts } from './facts';
import { claimSize, type Draft, floorForWords, type Holder, MiB, type Resolve, sizeArgument, stopWords, toStop, unknownCheck } from './check-parts';
import { bytes, cpus as cpuWords, either, gpus as gpuWords, named } from './words';

export function quotaChecks(demand: Demand, quota: DecideInput['quota'], usage: ProjectUsage, members: Holder[], host: HostFacts, gpuUsageUnknown: boolean, resolve: Resolve): Draft[] {
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
