// The tier manager's upkeep: idle demotion, the optimiser, and keeping up with the engine
// (reading each model's container back, at start and after Docker events).
import type { PlannedMove, Tier, TierJob } from '@shared/contract';
import { fireAndForget } from '../fire-and-forget';
import { LABEL_MODEL } from './names';
import { planOptimise } from './plan/optimiser';
import { isPromotion } from './records';
import type { TierJobs } from './jobs';
import type { TierState } from './state';

export function createTierUpkeep(s: TierState, jobs: TierJobs) {
  const { st, deps, clock, halfLifeMs, swap, entries, persist, plannerLimits, view, notify, announce, setTier } = s;
  const { newJob, book } = jobs;

  // ---- idle demotion and the optimiser -----------------------------------------------------------

  /**
   * Demotes models unused for `limits.idleDemoteSeconds` (hot → warm) or twice that (warm → cold),
   * never a pinned or serving one, one being moved, or one whose preferred tier is where it is.
   * Returns the jobs queued. `now` ms since epoch.
   */
  function demoteIdle(now: number): TierJob[] {
    if (st.closing || st.limits.idleDemoteSeconds === null) return [];
    const idleMs = st.limits.idleDemoteSeconds * 1000;
    const jobs: TierJob[] = [];
    for (const e of entries.values()) {
      if (e.job || e.holds > 0 || e.spec.pinned) continue;
      const idle = now - Math.max(e.lastUsedAt ?? 0, e.enteredTierAt);
      const pref = e.spec.preferredTier;
      let to: Tier | null = null;
      if (e.tier === 'hot' && idle >= idleMs && pref !== 'hot') to = 'warm';
      else if (e.tier === 'warm' && idle >= 2 * idleMs && pref !== 'hot' && pref !== 'warm') to = 'cold';
      if (!to) continue;
      jobs.push(book(e, newJob(e, e.tier, to, 'idle', `unused for ${Math.round(idle / 1000)} s`, null)).job);
    }
    return jobs;
  }

  /** The optimiser's plan (usage with decay → wanted placement → moves, with hysteresis); with apply, its moves are queued as jobs. */
  function optimize(apply: boolean): { moves: PlannedMove[]; jobs: TierJob[] } {
    const v = view();
    const plan = planOptimise(v.models, plannerLimits(), { now: clock(), halfLifeMs, lastMoveAt: st.lastMoveAt });
    const moves: PlannedMove[] = plan.moves.map((m) => ({ model: m.model, from: m.from, to: m.to, reason: m.reason }));
    if (!apply || !plan.ok) return { moves, jobs: [] };
    // Demotions first; each promotion waits for the demotions before it.
    const jobs: TierJob[] = [];
    const demotions: Promise<TierJob>[] = [];
    for (const m of plan.moves) {
      const e = entries.get(m.model);
      if (!e || e.job || e.tier !== m.from) continue; // changed since the plan was read
      if ((m.to === 'swap' || m.from === 'swap') && !swap().supported) continue;
      const job = newJob(e, m.from, m.to, 'optimiser', m.reason, null);
      if (isPromotion(m.from, m.to)) {
        const before = Promise.all(demotions).then((d) => {
          const bad = d.find((j) => j.state !== 'done');
          return bad ? `the demotion of ${bad.model} did not complete: ${bad.error ?? bad.state}` : null;
        });
        book(e, job, demotions.length ? before : undefined);
      } else demotions.push(book(e, job).done);
      jobs.push(job);
    }
    return { moves, jobs };
  }

  // ---- keeping up with the engine ---------------------------------------------------------------

  /** Finds each model's container by its label and sets its tier from the container's state. */
  async function reconcile(): Promise<void> {
    const engine = deps.docker.engines.get();
    const list = await engine.docker.listContainers({ all: true, filters: { label: [LABEL_MODEL] } });
    const at = st.generation;
    const byModel = new Map<string, (typeof list)[number]>();
    for (const c of list) {
      const name = c.Labels?.[LABEL_MODEL];
      if (name && (!byModel.has(name) || c.Created > byModel.get(name)!.Created)) byModel.set(name, c);
    }
    if (at !== st.generation) return; // a move started meanwhile: it knows better
    let changedAny = false;
    for (const e of entries.values()) {
      if (e.job) continue;
      const c = byModel.get(e.name);
      const was = `${e.tier} ${e.containerId} ${e.hostPort}`;
      if (!c) {
        e.containerId = null;
        e.hostPort = null;
        setTier(e, 'cold');
      } else {
        e.containerId = c.Id;
        const tier: Tier = c.State === 'running' ? 'hot' : c.State === 'paused' ? (e.tier === 'swap' ? 'swap' : 'warm') : 'cold';
        setTier(e, tier);
        e.hostPort = tier === 'cold' ? null : (c.Ports.find((p) => p.PrivatePort === e.spec.port && p.Type === 'tcp' && p.PublicPort)?.PublicPort ?? null);
      }
      if (`${e.tier} ${e.containerId} ${e.hostPort}` !== was) {
        changedAny = true;
        persist(e);
      }
    }
    if (changedAny) {
      notify();
      announce();
    }
  }

  let resyncQueued = false;
  /** A model's container changed outside a move (docker CLI, a crash): read every model back from the engine. */
  function onContainerEvent(): void {
    if (resyncQueued || st.closing) return;
    resyncQueued = true;
    setTimeout(() => {
      resyncQueued = false;
      if (st.closing) return;
      fireAndForget(reconcile(), 'tiers: reading the model containers back', deps.events);
    }, 200).unref();
  }

  function tick(): void {
    demoteIdle(clock());
    for (const e of entries.values()) if (e.dirty) persist(e);
  }

  return { demoteIdle, optimize, reconcile, onContainerEvent, tick };
}
