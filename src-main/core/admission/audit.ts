// The audit of what runs (as Gatekeeper's audit does for a cluster): which running managed containers
// now break a policy — a project over a quota lowered below its usage, a GPU held by two containers,
// a container running without an admission decision (started outside MLEnv, or brought back by
// Docker's own restart policy). Reported, never acted on. Pure: the facts in, the findings out.
import type { AuditFinding, ProjectQuota, ProjectUsage } from '@shared/contract';
import type { GpuFact, RunningContainer } from './facts';
import { resolveClaim } from './gpu-claims';
import { bytes, cpus, gpuList, list, named } from './words';

export interface AuditInput {
  /** The engine's name, said when it is not the local one. */
  engine: { id: string; name: string };
  running: readonly RunningContainer[];
  quotas: readonly ProjectQuota[];
  /** A project's usage on this engine (as decide() counts it). */
  usageOf(project: string): ProjectUsage;
  /** Containers with a decision that let them run. */
  admitted: ReadonlySet<string>;
  /** This machine's GPUs; null when unknown (then GPU sharing is not judged). */
  gpus: readonly GpuFact[] | null;
}

/** Which ceilings `usage` is over. */
export function overQuota(q: ProjectQuota, usage: ProjectUsage): ('containers' | 'memory' | 'cpus' | 'gpus')[] {
  const out: ('containers' | 'memory' | 'cpus' | 'gpus')[] = [];
  if (q.containers !== null && usage.containers > q.containers) out.push('containers');
  if (q.memoryBytes !== null && usage.memoryBytes > q.memoryBytes) out.push('memory');
  if (q.cpus !== null && usage.cpus > q.cpus + 1e-9) out.push('cpus');
  if (q.gpus !== null && usage.gpus > q.gpus) out.push('gpus');
  return out;
}

export function auditFindings(a: AuditInput): AuditFinding[] {
  const on = a.engine.id === 'local' ? '' : ` on engine ${a.engine.name}`;
  const ref = (c: RunningContainer) => ({ id: c.id, name: c.name });
  const out: AuditFinding[] = [];

  for (const q of a.quotas) {
    const usage = a.usageOf(q.project);
    const over = overQuota(q, usage);
    if (!over.length) continue;
    const words = over.map((k) =>
      k === 'containers'
        ? `${usage.containers} containers (quota ${q.containers})`
        : k === 'memory'
          ? `${bytes(usage.memoryBytes)} of memory (quota ${bytes(q.memoryBytes!)})`
          : k === 'cpus'
            ? `${cpus(usage.cpus)} (quota ${cpus(q.cpus!)})`
            : `${usage.gpus} GPUs (quota ${q.gpus})`,
    );
    out.push({
      kind: 'quota',
      project: q.project,
      containers: a.running.filter((c) => c.project === q.project).map(ref),
      sentence: `Project ${named(q.project)} is over its quota${on}: ${list(words)} (nothing is stopped)`,
    });
  }

  if (a.gpus) {
    const holders = new Map<number, RunningContainer[]>();
    for (const c of a.running) {
      if (!c.gpus) continue;
      for (const i of resolveClaim(c.gpus, a.gpus).indexes) holders.set(i, [...(holders.get(i) ?? []), c]);
    }
    const shared = [...holders].filter(([, cs]) => cs.length > 1).sort(([x], [y]) => x - y);
    for (const [index, cs] of shared) {
      out.push({ kind: 'gpu_shared', project: null, containers: cs.map(ref), sentence: `${gpuList([index])} is held by ${list(cs.map((c) => named(c.name)))} at once${on}` });
    }
  }

  for (const c of a.running) {
    if (a.admitted.has(c.id)) continue;
    out.push({
      kind: 'unadmitted',
      project: c.project,
      containers: [ref(c)],
      sentence: `${named(c.name)} runs without an admission decision${on} (started outside MLEnv, or brought back by Docker's restart policy)`,
    });
  }
  return out;
}
