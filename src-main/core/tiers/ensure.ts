// The tier manager's ensure and manual moves: plans and books the moves that make a model hot
// (evictions first), holds it for a request (a lease), and checks a manual move's capacity.
import type { MoveTrigger, Tier, TierJob } from '@shared/contract';
import { AppError } from '@shared/errors';
import { formatBytes } from '@shared/units';
import { planEnsure } from './plan/evictions';
import { recordUse } from './plan/usage';
import { isPromotion } from './records';
import { footprint, inRam, passesRam, type Entry, type Lease, type Running } from './entry';
import type { TierJobs } from './jobs';
import type { TierState } from './state';

export function createTierEnsure(s: TierState, jobs: TierJobs) {
  const { st, clock, halfLifeMs, swap, entries, ready, plannerLimits, view, predictFn, need, notify, changed } = s;
  const { newJob, book, resync } = jobs;

  // ---- ensure -----------------------------------------------------------------------------------

  type Planned = { kind: 'started'; job: TierJob } | { kind: 'never'; reason: string; blockedBy: string[] } | { kind: 'blocked'; reason: string };

  /** Plans and books the moves that make `e` hot, in one synchronous step. */
  function planFor(e: Entry, trigger: MoveTrigger): Planned {
    const v = view();
    const plan = planEnsure(e.name, v.models, plannerLimits(), predictFn, { now: clock(), halfLifeMs, reservedBytes: v.reservedBytes });
    if (!plan.ok) {
      if (plan.canNeverFit) return { kind: 'never', reason: plan.reason ?? `${e.name} can never fit`, blockedBy: plan.blockedBy ?? [] };
      return { kind: 'blocked', reason: plan.reason ?? `${e.name} does not fit now` };
    }
    const wake = plan.moves.find((m) => m.model === e.name);
    if (!wake) return { kind: 'blocked', reason: `the plan for ${e.name} has no move of it` };
    const target = newJob(e, wake.from, wake.to, trigger, wake.reason, null);
    const victims = plan.moves.filter((m) => m !== wake).map((m) => ({ v: need(m.model), m }));
    const evictionJobs = victims.map(({ v, m }) => ({ v, job: newJob(v, m.from, m.to, trigger === 'user' || trigger === 'cli' ? trigger : 'ensure', m.reason, target.id) }));
    const runs = evictionJobs.map(({ v, job }) => book(v, job));
    // The target runs once every eviction is done; a failed eviction gives the plan up.
    const gate = Promise.all(runs.map((r) => r.done)).then((done) => {
      const bad = done.find((j) => j.state !== 'done');
      return bad ? `the eviction of ${bad.model} (job ${bad.id}) did not complete: ${bad.error ?? bad.state}` : null;
    });
    book(e, target, runs.length ? gate : undefined);
    return { kind: 'started', job: target };
  }

  /**
   * Makes model `name` hot and holds it for one request: returns at once when it is hot, else plans
   * evictions (the planner's choice, pins honoured), moves, and waits for it to answer. While no
   * memory can be freed (models serving requests hold it) it waits for a move or a request to end,
   * up to the model's readyTimeoutMs. Concurrent calls for one model share its move.
   * Errors: NOT_FOUND (no such model), CONFLICT (it can never fit — details.canNeverFit —, it stayed
   * blocked, or its move failed: the move's own code, e.g. ADMISSION_REJECTED, when it had one),
   * and the abort reason when `signal` aborts.
   */
  async function acquire(name: string, opts: { trigger?: MoveTrigger; signal?: AbortSignal } = {}): Promise<Lease> {
    if (st.closing) throw new AppError('CONFLICT', 'the tier manager is shutting down');
    if (!st.reconciledDone) await ready();
    const e = need(name);
    const trigger = opts.trigger ?? 'ensure';
    const started = clock();
    const deadline = started + e.spec.readyTimeoutMs;
    let job: TierJob | null = null;
    let handed = false;
    e.holds++;
    try {
      for (;;) {
        if (opts.signal?.aborted) throw opts.signal.reason ?? new AppError('CONFLICT', 'the request was cancelled');
        if (entries.get(name) !== e) throw new AppError('NOT_FOUND', `model "${name}" was removed`);
        if (e.tier === 'hot' && !e.job && e.hostPort !== null) {
          handed = true;
          return lease(e, clock() - started, job);
        }
        if (e.job) {
          const j = await e.job.done;
          // A move to hot begun since this call came (its own or a shared one) that failed: its error is the answer.
          if (j.model === name && j.to === 'hot' && j.state !== 'done' && j.createdAt >= started) {
            const code = e.lastFailure?.jobId === j.id && e.lastFailure.code !== 'INTERNAL' ? e.lastFailure.code : 'CONFLICT';
            throw new AppError(code, `${name} could not be made hot: ${j.error ?? j.state}`, { jobId: j.id });
          }
          if (j.model === name && j.to === 'hot') job = j; // the move this call waited for, shared or its own
          continue;
        }
        if (e.tier === 'hot') await resync(e); // hot without a known port: read it back
        if (e.tier === 'hot' && e.hostPort !== null) continue;
        const p = planFor(e, trigger);
        if (p.kind === 'started') {
          job = p.job;
          continue;
        }
        if (p.kind === 'never') throw new AppError('CONFLICT', p.reason, { canNeverFit: true, blockedBy: p.blockedBy });
        if (clock() >= deadline) throw new AppError('CONFLICT', `${name} waited ${Math.round((clock() - started) / 1000)} s for memory: ${p.reason}`);
        await changed(deadline - clock(), opts.signal);
      }
    } finally {
      if (!handed) {
        e.holds--;
        notify();
      }
    }
  }

  function lease(e: Entry, waitedMs: number, job: TierJob | null): Lease {
    const now = clock();
    const u = recordUse({ usageScore: e.usageScore, lastUsedAt: e.lastUsedAt ?? 0 }, now, halfLifeMs);
    e.usageScore = u.usageScore;
    e.lastUsedAt = u.lastUsedAt;
    e.dirty = true; // stored with the next move or tick, not on every request
    let released = false;
    return {
      model: e.name,
      hostPort: e.hostPort!,
      waitedMs,
      job,
      release() {
        if (released) return;
        released = true;
        e.holds--;
        notify();
      },
    };
  }

  // ---- manual moves -----------------------------------------------------------------------------

  /**
   * Queues a move of `name` to `to` asked for by `trigger` (no evictions: a move that does not fit is
   * refused with the numbers). Errors: NOT_FOUND; CONFLICT (a move of it under way, already there,
   * serving requests and asked to leave the hot tier, does not fit the budget now or ever);
   * UNSUPPORTED (swap on a host that cannot).
   */
  function move(name: string, to: Tier, trigger: MoveTrigger): Running {
    if (st.closing) throw new AppError('CONFLICT', 'the tier manager is shutting down');
    const e = need(name);
    if (e.job) throw new AppError('CONFLICT', `a move of ${name} (${e.job.job.from} → ${e.job.job.to}, job ${e.job.job.id}) is under way`);
    if (e.tier === to) throw new AppError('CONFLICT', `${name} is ${to} already`);
    if ((to === 'swap' || e.tier === 'swap') && !swap().supported) throw new AppError('UNSUPPORTED', `the swap tier is not available: ${swap().reason}`);
    // Paused either way; only running brings a swapped-out model's pages back.
    if (e.tier === 'swap' && to === 'warm') throw new AppError('CONFLICT', `${name} is in swap: its pages come back only as it runs, so it moves to hot (or cold), not to warm`);
    if (e.holds > 0 && !isPromotion(e.tier, to)) throw new AppError('CONFLICT', `${name} is serving ${e.holds} request${e.holds === 1 ? '' : 's'}: it can leave the ${e.tier} tier when they end`);
    const fp = footprint(e);
    if (passesRam(e.tier, to)) {
      const v = view();
      const used = v.models.reduce((s, m) => s + (inRam(m.tier) ? m.footprintBytes : 0), 0) + v.reservedBytes;
      const budget = st.limits.ramBudgetBytes - st.limits.safetyMarginBytes;
      if (fp > budget) {
        throw new AppError('CONFLICT', `${name} can never fit: its ${e.measuredBytes !== null ? 'measured' : 'declared'} footprint of ${formatBytes(fp)} is more than the ${formatBytes(st.limits.ramBudgetBytes)} RAM budget less the ${formatBytes(st.limits.safetyMarginBytes)} safety margin`, { canNeverFit: true });
      }
      if (used + fp > budget) {
        throw new AppError(
          'CONFLICT',
          `${name} does not fit the RAM tier now: it needs ${formatBytes(fp)}${to === 'swap' ? ' while it loads, before it is pushed to swap' : ''}, and ${formatBytes(used)} of the ${formatBytes(budget)} usable (${formatBytes(st.limits.ramBudgetBytes)} budget less the ${formatBytes(st.limits.safetyMarginBytes)} margin) is taken; move a model out first, or use ensure, which evicts`,
          { neededBytes: fp, usedBytes: used, usableBytes: budget },
        );
      }
    }
    if (to === 'swap') {
      const used = [...entries.values()].reduce((s, x) => s + (x.tier === 'swap' || x.job?.job.to === 'swap' ? footprint(x) : 0), 0);
      if (used + fp > st.limits.swapBudgetBytes) throw new AppError('CONFLICT', `${name} does not fit the swap tier: ${formatBytes(used)} of its ${formatBytes(st.limits.swapBudgetBytes)} is taken`);
    }
    const reason = trigger === 'user' || trigger === 'cli' ? `asked by the ${trigger === 'cli' ? 'mlenv command' : 'user'}` : `moved by the ${trigger}`;
    return book(e, newJob(e, e.tier, to, trigger, reason, null));
  }

  return { planFor, acquire, move };
}
export type TierEnsure = ReturnType<typeof createTierEnsure>;
