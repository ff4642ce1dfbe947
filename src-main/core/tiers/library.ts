// The tier manager's library: adding a model (and hot-loading it), changing and removing one.
import type { Model, ModelPatch, ModelSpec, MoveTrigger, TierJob } from '@shared/contract';
import { AppError, isAppError } from '@shared/errors';
import { forgetSecrets, launchFor, resolveSource } from './model-spec';
import { containerNameFor } from './names';
import { forgetModel } from './plan/predictor';
import type { Entry } from './entry';
import type { TierEnsure } from './ensure';
import type { TierJobs } from './jobs';
import type { TierState } from './state';

export function createTierLibrary(s: TierState, jobs: TierJobs, ensure: TierEnsure) {
  const { st, deps, repo, events, secrets, clock, entries, ready, persist, safely, toModel, need, notify, announce } = s;
  const { newJob, cancel } = jobs;
  const { planFor, move } = ensure;

  // ---- library ----------------------------------------------------------------------------------

  async function add(input: ModelSpec, tier: 'hot' | 'warm' | 'cold', trigger: MoveTrigger): Promise<{ model: Model; job: TierJob | null }> {
    if (st.closing) throw new AppError('CONFLICT', 'the tier manager is shutting down');
    if (!st.reconciledDone) await ready();
    const taken = () => {
      if (entries.has(input.name)) throw new AppError('CONFLICT', `a model named "${input.name}" is in the library already: models.update changes it, models.remove takes it out`);
    };
    taken();
    const spec = await resolveSource(input, deps.catalog);
    taken(); // added by another call while the catalog answered
    const launch = launchFor(spec);
    const now = clock();
    const e: Entry = {
      name: spec.name,
      spec,
      launch,
      image: launch.image,
      missingSecrets: [],
      tier: 'cold',
      containerId: null,
      hostPort: null,
      measuredBytes: null,
      usageScore: 0,
      lastUsedAt: null,
      enteredTierAt: now,
      createdAt: now,
      updatedAt: now,
      holds: 0,
      job: null,
      lastFailure: null,
      dirty: false,
    };
    entries.set(e.name, e);
    persist(e);
    events.record({ type: 'tier.model.add', container: containerNameFor(e.name), image: e.image, engine: 'local', actor: trigger === 'cli' ? 'cli' : trigger === 'user' ? 'user' : 'tier-manager', details: { model: e.name, tier } });
    let job: TierJob | null = null;
    if (tier === 'hot') {
      // Hot-load: ensure() in the background (it may evict, as a request for the model would).
      const p = planFor(e, 'hot-load');
      if (p.kind === 'started') job = p.job;
      else {
        job = newJob(e, 'cold', 'hot', 'hot-load', 'hot-load when added', null);
        cancel(e, job, p.reason);
      }
    } else if (tier === 'warm') {
      try {
        job = move(e.name, 'warm', 'hot-load').job;
      } catch (err) {
        job = newJob(e, 'cold', 'warm', 'hot-load', 'hot-load when added', null);
        cancel(e, job, (err as Error).message);
      }
    }
    announce();
    return { model: toModel(e), job };
  }

  function update(name: string, patch: ModelPatch): Model {
    const e = need(name);
    const spec: ModelSpec = {
      ...e.spec,
      ...(patch.capabilities ? { capabilities: patch.capabilities } : {}),
      ...(patch.quality !== undefined ? { quality: patch.quality } : {}),
      ...(patch.speed !== undefined ? { speed: patch.speed } : {}),
      ...(patch.probe ? { probe: patch.probe } : {}),
      ...(patch.declaredBytes !== undefined ? { declaredBytes: patch.declaredBytes } : {}),
      ...(patch.pinned !== undefined ? { pinned: patch.pinned } : {}),
      ...(patch.preferredTier !== undefined ? { preferredTier: patch.preferredTier } : {}),
      ...(patch.readyTimeoutMs !== undefined ? { readyTimeoutMs: patch.readyTimeoutMs } : {}),
    };
    e.spec = spec;
    e.launch = { ...e.launch, probe: spec.probe.kind === 'http' ? { kind: 'http', port: spec.port, path: spec.probe.path } : { kind: 'tcp', port: spec.port } };
    e.updatedAt = clock();
    persist(e);
    announce();
    return toModel(e);
  }

  async function remove(name: string, force: boolean, actor: 'user' | 'cli'): Promise<{ name: string; removed: true }> {
    const e = need(name);
    if (e.job && !force) throw new AppError('CONFLICT', `a move of ${name} is under way (job ${e.job.job.id}); remove it with force, or when the move ends`);
    if (e.holds > 0 && !force) throw new AppError('CONFLICT', `${name} is serving ${e.holds} request${e.holds === 1 ? '' : 's'}; remove it with force, or when they end`);
    if (e.job) await e.job.done.catch(() => undefined);
    if (e.containerId) {
      try {
        await deps.docker.containers.remove(deps.docker.engines.get(), e.containerId, true, actor);
      } catch (err) {
        if (!(isAppError(err) && err.code === 'NOT_FOUND')) throw err;
      }
    }
    entries.delete(name);
    safely('forget the model', () => repo.removeModel(name));
    forgetSecrets(e.spec, secrets);
    st.predictor = forgetModel(st.predictor, name);
    events.record({ type: 'tier.model.remove', containerId: e.containerId, container: containerNameFor(name), image: e.image, engine: 'local', actor, details: { model: name, tier: e.tier } });
    notify();
    announce();
    return { name, removed: true };
  }

  return { add, update, remove };
}
