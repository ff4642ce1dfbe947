// Admission control as a service: the lifecycle gate's AdmissionGate (decide and reserve in one
// BEGIN IMMEDIATE transaction, record every decision, refuse with ADMISSION_REJECTED in enforce
// mode), the launch form's preview, the policy and project quotas, and the periodic audit of what
// runs. The facts come from the sampler (host-facts.ts), the running list (running.ts) and the ledger;
// decide() (decide.ts) is the pure judgement over them.
import type { Actor, AdmissionAudit, AdmissionDecision, AdmissionDecisionsQuery, AdmissionPolicy, AdmissionPolicyPatch, ContainerDetail, MetricsSnapshot, ProjectQuota, ProjectQuotaView, SetQuotaInput } from '@shared/contract';
import { AppError } from '@shared/errors';
import type { DeviceRequest } from '@shared/gpus';
import type { Bus } from '../bus';
import type { Engine } from '../docker/engine-registry';
import { every, type Loop } from '../every';
import { fireAndForget } from '../fire-and-forget';
import type { AdmissionGate, AdmissionRequest, Reservation } from '../lifecycle/admission';
import { processAlive } from '../owner';
import type { AdmissionRepository, ReservationRow } from '../store/admission';
import { onEngine, type EventLog } from '../store/events';
import { auditFindings, overQuota } from './audit';
import { decide } from './decide';
import { containerDemand, launchDemand } from './demand';
import type { Demand, HostFacts } from './facts';
import { gpuFacts, hostFactsFrom } from './host-facts';
import { applyPatch, modeChanges, readPolicy, settingsOf } from './policy';
import { createRunningList } from './running';
import { bytes, cpus as cpuWords } from './words';

/** What the service reads of the sampler. */
export interface SnapshotSource {
  recent(seconds?: number): MetricsSnapshot[];
  latest(): MetricsSnapshot | undefined;
  /** Takes a snapshot now (undefined when one is being taken). */
  tick(): Promise<MetricsSnapshot | undefined>;
  /** Starts sampling (a core that was not started: a one-shot command). */
  start(): Promise<void>;
  gpuStatus(): { state: string; error?: string };
}

export interface AdmissionOptions {
  repository: AdmissionRepository;
  bus: Bus;
  events: EventLog;
  engines: { get(id?: string): Engine; all(): Engine[] };
  sampler: SnapshotSource;
  /** The sampling interval now (ms): a snapshot older than three of them (at least 5 s) is stale. */
  sampleIntervalMs: () => number;
  /** A managed container by id or name (for a preview of its start). */
  inspect(engine: Engine, id: string): Promise<ContainerDetail>;
  /** Replaces the sampler's figures with these (tests, benchmarks): the host exactly as decide() will see it. */
  hostFacts?: (engine: Engine, now: number) => HostFacts;
  now?: () => number;
  /** This process's pid, written on each reservation it holds (a reservation whose owner died expires). */
  pid?: number;
  /** How often the audit runs (default 60 s). */
  auditIntervalMs?: number;
  /** Decisions older than this many days are deleted by the audit pass (default 30). */
  retentionDays?: () => number;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** Null for an engine on this machine (a socket, or TCP to a loopback address); else why this machine's figures do not apply to it. */
export function remoteReason(engine: Engine): string | null {
  if (engine.socketPath) return null;
  const host = (engine.docker.modem as unknown as { host?: string }).host;
  if (host && LOOPBACK.has(host)) return null;
  return `engine ${engine.name} is on another machine, whose figures MLEnv does not sample`;
}

/** A held reservation that no longer counts: its TTL passed, or the process that holds it is gone. */
const expired = (r: ReservationRow, now: number, pid: number, alive: (pid: number) => boolean) => r.state === 'held' && (r.expiresAt < now || (r.ownerPid !== pid && !alive(r.ownerPid)));

export function createAdmission(opts: AdmissionOptions) {
  const { repository: repo, bus, events, engines, sampler } = opts;
  const clock = opts.now ?? Date.now;
  const pid = opts.pid ?? process.pid;
  const running = createRunningList({ now: clock });
  const staleAfterMs = () => Math.max(3 * opts.sampleIntervalMs(), 5000) + 1000;

  // The policy, parsed once per stored version; an unreadable row is journaled once.
  let cached: { raw: string | undefined; policy: AdmissionPolicy } | undefined;
  let told: string | null = null;
  function policy(): AdmissionPolicy {
    const row = repo.policy();
    const raw = row ? `${row.updatedAt}:${row.policy}` : undefined;
    if (cached && cached.raw === raw) return cached.policy;
    const read = readPolicy(row);
    if (read.problem && read.problem !== told) {
      told = read.problem;
      events.record({ type: 'admission.policy.invalid', outcome: 'error', error: `the stored admission policy is unreadable (${read.problem}); the defaults apply until it is saved again` });
    }
    cached = { raw, policy: read.policy };
    return read.policy;
  }

  function hostFor(engine: Engine, now: number, p: AdmissionPolicy): HostFacts {
    if (opts.hostFacts) return opts.hostFacts(engine, now);
    const window = p.thresholds.cpuWindowSeconds;
    const gives = running.get(engine.id).containers;
    const limits = new Map(gives.map((c) => [c.id, c.cpus]));
    return hostFactsFrom(sampler.recent(window + Math.ceil(opts.sampleIntervalMs() / 1000)), {
      now,
      staleAfterMs: staleAfterMs(),
      cpuWindowSeconds: window,
      dockerRoot: running.dockerRoot(engine.id),
      remote: remoteReason(engine),
      cpusOf: (id) => limits.get(id) ?? null,
    });
  }

  /** The ledger of `engine` as decide() reads it, without expired reservations; `settle` marks them expired (inside the gate's transaction; a preview writes nothing). */
  function ledgerOf(engine: Engine, host: HostFacts, asOf: number | null, now: number, settle: boolean) {
    const since = Math.min(host.ts ?? 0, asOf ?? 0);
    const rows = repo.activeReservations(engine.id, since);
    const alive = new Map<number, boolean>();
    const isAlive = (p: number) => alive.get(p) ?? (alive.set(p, processAlive(p)), alive.get(p)!);
    const kept: ReservationRow[] = [];
    for (const r of rows) {
      if (!expired(r, now, pid, isAlive)) kept.push(r);
      else if (settle) repo.settle(r.id, 'expired', now, r.expiresAt < now ? 'not settled within the reservation TTL' : `its process (pid ${r.ownerPid}) is gone`);
    }
    return kept;
  }

  function judge(engine: Engine, demand: Demand, actor: Actor, p: AdmissionPolicy, now: number, settle = false) {
    const host = hostFor(engine, now, p);
    const list = running.get(engine.id);
    return decide({ demand, host, running: list, ledger: ledgerOf(engine, host, list.asOf, now, settle), quota: repo.quota(demand.project) ?? null, policy: settingsOf(p), actor, now });
  }

  function demandOf(r: AdmissionRequest, p: AdmissionPolicy): Demand {
    const o = { engine: r.engine.id, defaultMemory: p.thresholds.defaultMemoryBytes, defaultRuntime: running.defaultRuntime(r.engine.id) };
    return r.action === 'launch' ? launchDemand(r.spec, { ...o, ...r.pull }) : containerDemand(r.container, r.action, o);
  }

  /** The reservation an admitted request holds; every step is written to the ledger (and the decision's row). */
  function reservationOf(decision: AdmissionDecision, reservationId: number | null, engine: Engine, name: string | null): Reservation {
    return {
      bind(containerId) {
        repo.bind(decision.id!, reservationId, containerId, name);
      },
      commit() {
        if (reservationId !== null) repo.settle(reservationId, 'committed', clock(), null);
        fireAndForget(running.refresh(engine), 'admission: refreshing the running list', events);
      },
      release(reason) {
        if (reservationId !== null) repo.settle(reservationId, 'released', clock(), reason);
      },
    };
  }

  const gate: AdmissionGate = {
    admitAndReserve(request) {
      const engine = engines.get(request.engine.id);
      const p = policy();
      const demand = demandOf(request, p);
      const name = request.action === 'launch' ? (request.spec.name ?? null) : request.container.name;
      const { decision, reservationId } = repo.immediate(() => {
        const now = clock();
        const d = judge(engine, demand, request.actor, p, now, true);
        const id = repo.insertDecision(d, engine.id, name);
        const reserve = d.admitted && p.mode !== 'dry_run';
        const rid = reserve
          ? repo.reserve({
              decisionId: id,
              engine: engine.id,
              project: demand.project,
              containerId: demand.container?.id ?? null,
              name,
              memoryBytes: demand.hostMemoryBytes,
              memoryCounted: demand.memoryCounted,
              cpus: demand.cpus,
              gpus: demand.gpus,
              newContainer: demand.newContainer,
              ownerPid: pid,
              createdAt: now,
              expiresAt: now + p.thresholds.reservationTtlSeconds * 1000,
            })
          : null;
        return { decision: { ...d, id, reservation: rid === null ? ('none' as const) : ('held' as const) }, reservationId: rid };
      });
      bus.emit('admission.decided', decision);
      if (decision.outcome === 'violation') {
        events.record({
          type: 'admission.violation',
          actor: request.actor,
          outcome: 'error',
          error: decision.summary,
          container: name,
          image: demand.image,
          ...onEngine(engine),
          details: { decisionId: decision.id, mode: decision.mode, checks: decision.checks.filter((c) => c.status !== 'pass').map((c) => c.id) },
        });
      }
      if (!decision.admitted) throw new AppError('ADMISSION_REJECTED', decision.summary, { decision });
      return reservationOf(decision, reservationId, engine, name);
    },
  };

  // Facts made ready before a decision: the running list's first answer, a fresh snapshot.
  const hostStale = () => {
    const latest = sampler.latest();
    return !latest || clock() - latest.ts > staleAfterMs();
  };
  let warming: Promise<void> | null = null;
  async function warm(wantsGpus: boolean): Promise<void> {
    if (!sampler.latest() && sampler.gpuStatus().error === 'not started') {
      // A core that never started sampling (a one-shot command): start it, so the CPU counters are primed and nvidia-smi runs.
      await sampler.start();
      await new Promise((r) => setTimeout(r, 250));
    }
    // A tick may be under way already (then tick() gives nothing): wait for a fresh snapshot, a few seconds at most;
    // with GPUs asked for, also for nvidia-smi's first rows (or its verdict that there are none).
    const end = clock() + (wantsGpus ? 3000 : 2000);
    for (;;) {
      const s = await sampler.tick();
      const st = sampler.gpuStatus();
      const gpusSettled = !wantsGpus || (s && gpuFacts(s).gpus !== null) || st.state === 'restarting' || (st.state === 'absent' && st.error !== 'not started');
      if ((!hostStale() && gpusSettled) || clock() > end) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /**
   * Makes the facts of `engine` current enough to decide on: the running list's first answer, and a
   * snapshot when there is none or it is stale (a core that never sampled starts its sampler). Cheap
   * when they are: call it before each gate operation. Never rejects.
   */
  async function ready(engine: Engine, wantsGpus = false): Promise<void> {
    const waits: Promise<void>[] = [];
    if (running.cold(engine.id)) waits.push(running.refresh(engine));
    if (!opts.hostFacts && !remoteReason(engine) && hostStale()) {
      warming ??= warm(wantsGpus)
        .catch(() => undefined)
        .finally(() => (warming = null));
      waits.push(warming);
    }
    if (waits.length) await Promise.all(waits);
  }

  /** A project's usage on `engine`, as decide() counts it (a decision on nothing asked). */
  function usageOf(engine: Engine, project: string, p: AdmissionPolicy) {
    const none: Demand = { action: 'check', engine: engine.id, project, image: null, container: null, memoryBytes: 0, hostMemoryBytes: 0, memoryCounted: 0, cpus: 0, gpus: null, pullBytes: null, newContainer: false };
    return judge(engine, none, 'user', p, clock()).facts.projectUsage;
  }
  function quotaView(q: ProjectQuota): ProjectQuotaView {
    const usage = usageOf(engines.get(), q.project, policy());
    return { ...q, usage, over: overQuota(q, usage) };
  }

  let last: AdmissionAudit = { at: null, findings: [] };
  // One pass at a time (the loop, a lowered quota, admission.audit refresh): each compares with the one before.
  let auditQueue: Promise<unknown> = Promise.resolve();
  function runAudit(): Promise<AdmissionAudit> {
    const pass = auditQueue.then(auditOnce, auditOnce);
    auditQueue = pass.catch(() => undefined);
    return pass;
  }
  async function auditOnce(): Promise<AdmissionAudit> {
    const p = policy();
    const findings = [];
    for (const engine of engines.all()) {
      if (engine.monitor.get().state !== 'connected') continue;
      await running.refresh(engine); // the list anew; each container inspected once (again after its update event)
      const list = running.get(engine.id);
      if (list.asOf === null) continue;
      const host = hostFor(engine, clock(), p);
      findings.push(
        ...auditFindings({
          engine,
          running: list.containers,
          quotas: repo.quotas(),
          usageOf: (project) => usageOf(engine, project, p),
          admitted: repo.admittedContainers(engine.id),
          gpus: host.gpus,
        }),
      );
    }
    const now = clock();
    repo.prune(now - 24 * 3600_000, now - (opts.retentionDays?.() ?? 30) * 24 * 3600_000);
    const next: AdmissionAudit = { at: now, findings };
    const before = new Set(last.findings.map((f) => f.sentence));
    const changed = findings.length !== last.findings.length || findings.some((f) => !before.has(f.sentence));
    last = next;
    if (changed) {
      // New policy breaches are journaled as warnings; a container without a decision is only listed (the Admission page, admission.audit).
      for (const f of findings.filter((x) => !before.has(x.sentence) && x.kind !== 'unadmitted')) {
        events.record({ type: 'admission.audit', outcome: 'error', error: f.sentence, details: { kind: f.kind, project: f.project, containers: f.containers } });
      }
      bus.emit('admission.audit', next);
    }
    return next;
  }

  let loop: Loop | undefined;
  const offs: (() => void)[] = [];

  return {
    gate,
    ready,

    /** What a launch (or the start of `input.container`) would get now; reserves and records nothing. */
    async check(
      input: { engine?: string; project: string; memory?: number; cpus?: number; gpus?: DeviceRequest | null; image?: string; pullBytes?: number; imagePresent?: boolean; container?: string },
      actor: Actor,
    ): Promise<AdmissionDecision> {
      const engine = engines.get(input.engine);
      const p = policy();
      const o = { engine: engine.id, defaultMemory: p.thresholds.defaultMemoryBytes, defaultRuntime: running.defaultRuntime(engine.id) };
      const demand = input.container
        ? containerDemand(await opts.inspect(engine, input.container), 'check', o)
        : { ...launchDemand({ image: input.image ?? '', project: input.project, memory: input.memory, cpus: input.cpus, gpus: input.gpus ?? undefined }, { ...o, action: 'check', pullBytes: input.pullBytes, imagePresent: input.imagePresent }), image: input.image ?? null };
      await ready(engine, demand.gpus !== null);
      return judge(engine, demand, actor, p, clock());
    },

    decisions: (q: AdmissionDecisionsQuery): AdmissionDecision[] => repo.decisions(q),

    policy,
    /** Applies `patch` (validated by the contract), journals what it changed (`admission.mode` for a mode), tells the bus; returns the policy now in force. */
    setPolicy(patch: AdmissionPolicyPatch, actor: Actor): AdmissionPolicy {
      const before = policy();
      let next;
      try {
        next = applyPatch(settingsOf(before), patch);
      } catch (e) {
        throw new AppError('INVALID_INPUT', `admission policy: ${(e as Error).message}`);
      }
      const now = clock();
      repo.savePolicy(JSON.stringify(next), now, actor);
      const changes = modeChanges(settingsOf(before), next);
      const thresholds = Object.keys(patch.thresholds ?? {}).filter((k) => before.thresholds[k as keyof typeof next.thresholds] !== next.thresholds[k as keyof typeof next.thresholds]);
      if (changes.length) events.record({ type: 'admission.mode', actor, details: { changes, mode: next.mode } });
      if (thresholds.length) events.record({ type: 'admission.policy', actor, details: { thresholds: Object.fromEntries(thresholds.map((k) => [k, { from: before.thresholds[k as keyof typeof next.thresholds], to: next.thresholds[k as keyof typeof next.thresholds] }])) } });
      const now2 = policy();
      bus.emit('admission.policy', now2);
      return now2;
    },

    quotas: (): ProjectQuotaView[] => repo.quotas().map(quotaView),
    /** Sets a project's quota (fields left out unchanged, null: no limit); one below current usage is accepted and reported by the audit. */
    setQuota(input: SetQuotaInput, actor: Actor): ProjectQuotaView {
      const prev = repo.quota(input.project);
      const pick = <T>(v: T | null | undefined, old: T | null | undefined): T | null => (v === undefined ? (old ?? null) : v);
      const q: ProjectQuota = {
        project: input.project,
        containers: pick(input.containers, prev?.containers),
        memoryBytes: pick(input.memory, prev?.memoryBytes),
        cpus: pick(input.cpus, prev?.cpus),
        gpus: pick(input.gpus, prev?.gpus),
        updatedAt: clock(),
        updatedBy: actor,
      };
      repo.saveQuota(q);
      const view = quotaView(q);
      const words = [
        `containers ${q.containers ?? 'no limit'}`,
        `memory ${q.memoryBytes === null ? 'no limit' : bytes(q.memoryBytes)}`,
        `CPUs ${q.cpus === null ? 'no limit' : cpuWords(q.cpus)}`,
        `GPUs ${q.gpus ?? 'no limit'}`,
      ].join(', ');
      events.record({ type: 'admission.quota', actor, details: { project: q.project, quota: words, before: prev ?? null, over: view.over } });
      if (view.over.length) fireAndForget(runAudit(), 'admission audit', events);
      return view;
    },
    removeQuota(project: string, actor: Actor): { removed: boolean } {
      const removed = repo.removeQuota(project);
      if (removed) events.record({ type: 'admission.quota', actor, details: { project, quota: 'removed' } });
      return { removed };
    },

    /** The latest audit's findings; `refresh` runs a pass first. */
    async audit(refresh = false): Promise<AdmissionAudit> {
      return refresh ? runAudit() : last;
    },

    /** Follows container changes (the running list) and runs the audit every auditIntervalMs. */
    start() {
      offs.push(
        bus.on('containers.changed', (c) => {
          const engine = engines.all().find((e) => e.id === c.engine);
          if (!engine) return;
          if (c.action === 'update') running.changed(engine.id, c.id); // `docker update`: its limits are inspected again
          fireAndForget(running.refresh(engine), 'admission: refreshing the running list', events);
        }),
      );
      for (const engine of engines.all()) fireAndForget(running.refresh(engine), 'admission: refreshing the running list', events);
      loop = every(opts.auditIntervalMs ?? 60_000, runAudit, { what: 'admission audit', journal: events, firstMs: 5000 });
    },
    async stop() {
      for (const off of offs.splice(0)) off();
      await loop?.dispose();
      loop = undefined;
    },
  };
}
export type Admission = ReturnType<typeof createAdmission>;
