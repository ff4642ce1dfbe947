// The admission repository: the policy row, project quotas, every recorded decision, and the
// reservation ledger (migration 010). Decisions on one engine are serialised by running them in
// immediate(): BEGIN IMMEDIATE takes SQLite's write lock before the ledger is read, so a second
// process on the same data folder waits (busy_timeout) instead of deciding on the same reservations.
import type { Actor, AdmissionCheck, AdmissionDecision, AdmissionDecisionsQuery, AdmissionFacts, AdmissionMode, AdmissionOutcome, AdmissionRequestSummary, ProjectQuota } from '@shared/contract';
import type { GpuClaim, LedgerEntry } from '../admission/facts';
import type { Db } from './db';

export interface StoredPolicy {
  /** JSON, read back through the contract's admissionPolicySchema. */
  policy: string;
  updatedAt: number;
  updatedBy: Actor;
}

/** A reservation as the ledger keeps it. */
export interface ReservationRow extends LedgerEntry {
  engine: string;
  ownerPid: number;
  expiresAt: number;
}

export type ReservationState = 'held' | 'committed' | 'released' | 'expired';

/** A reservation to add: it starts held, with no id and nothing settled yet. */
export type NewReservation = Omit<ReservationRow, 'id' | 'state' | 'settledAt'>;

interface DecisionRow {
  id: number;
  ts: number;
  outcome: AdmissionOutcome;
  mode: AdmissionMode;
  actor: Actor;
  summary: string;
  request: string;
  facts: string;
  checks: string;
  wouldReject: number;
  containerId: string | null;
  containerName: string | null;
  reservation: ReservationState | null;
}

/** A reservation as SQLite returns it: `gpus` as JSON text, `newContainer` as 0/1, any state. */
type RawReservation = Omit<ReservationRow, 'gpus' | 'newContainer' | 'state'> & { gpus: string | null; newContainer: number; state: ReservationState };

const RESERVATION_COLUMNS = `id, decision_id AS decisionId, engine, project, container_id AS containerId, container_name AS name,
  memory_bytes AS memoryBytes, memory_counted AS memoryCounted, cpus, gpus, new_container AS newContainer, state,
  owner_pid AS ownerPid, created_at AS createdAt, expires_at AS expiresAt, settled_at AS settledAt`;

const toReservation = (r: RawReservation): ReservationRow => ({
  ...r,
  gpus: r.gpus ? (JSON.parse(r.gpus) as GpuClaim) : null,
  newContainer: r.newContainer === 1,
  state: r.state as 'held' | 'committed',
});

const QUOTA_COLUMNS = 'project, containers, memory_bytes AS memoryBytes, cpus, gpus, updated_at AS updatedAt, updated_by AS updatedBy';

export function createAdmissionRepository(db: Db) {
  const policyGet = db.prepare('SELECT policy, updated_at AS updatedAt, updated_by AS updatedBy FROM admission_policy WHERE id = 1');
  const policyPut = db.prepare(
    `INSERT INTO admission_policy (id, policy, updated_at, updated_by) VALUES (1, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET policy = excluded.policy, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
  );
  const quotaAll = db.prepare(`SELECT ${QUOTA_COLUMNS} FROM project_quotas ORDER BY project`);
  const quotaOne = db.prepare(`SELECT ${QUOTA_COLUMNS} FROM project_quotas WHERE project = ?`);
  const quotaPut = db.prepare(
    `INSERT INTO project_quotas (project, containers, memory_bytes, cpus, gpus, updated_at, updated_by)
     VALUES (@project, @containers, @memoryBytes, @cpus, @gpus, @updatedAt, @updatedBy)
     ON CONFLICT (project) DO UPDATE SET containers = excluded.containers, memory_bytes = excluded.memory_bytes,
       cpus = excluded.cpus, gpus = excluded.gpus, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
  );
  const quotaDelete = db.prepare('DELETE FROM project_quotas WHERE project = ?');
  const decisionInsert = db.prepare(
    `INSERT INTO admission_decisions (ts, engine, action, project, container_id, container_name, outcome, mode, actor, summary, request, facts, checks, would_reject)
     VALUES (@ts, @engine, @action, @project, @containerId, @containerName, @outcome, @mode, @actor, @summary, @request, @facts, @checks, @wouldReject)`,
  );
  const decisionBind = db.prepare('UPDATE admission_decisions SET container_id = ?, container_name = COALESCE(?, container_name) WHERE id = ?');
  const reservationInsert = db.prepare(
    `INSERT INTO admission_reservations (decision_id, engine, project, container_id, container_name, memory_bytes, memory_counted, cpus, gpus, new_container, state, owner_pid, created_at, expires_at)
     VALUES (@decisionId, @engine, @project, @containerId, @name, @memoryBytes, @memoryCounted, @cpus, @gpus, @newContainer, 'held', @ownerPid, @createdAt, @expiresAt)`,
  );
  // Held ones, and committed ones settled at or after `since` (their container may not show in the facts yet).
  const reservationsActive = db.prepare(
    `SELECT ${RESERVATION_COLUMNS} FROM admission_reservations
     WHERE engine = ? AND (state = 'held' OR (state = 'committed' AND settled_at >= ?)) ORDER BY id`,
  );
  const reservationsHeldAll = db.prepare(`SELECT ${RESERVATION_COLUMNS} FROM admission_reservations WHERE state = 'held' ORDER BY id`);
  const reservationBind = db.prepare('UPDATE admission_reservations SET container_id = ?, container_name = COALESCE(?, container_name) WHERE id = ?');
  const reservationSettle = db.prepare(`UPDATE admission_reservations SET state = ?, settled_at = ?, reason = ? WHERE id = ? AND state = 'held'`);
  const pruneReservations = db.prepare(`DELETE FROM admission_reservations WHERE state <> 'held' AND settled_at < ?`);
  const pruneDecisions = db.prepare('DELETE FROM admission_decisions WHERE ts < ?');
  const latestForContainers = db.prepare(
    `SELECT container_id AS containerId, MAX(id) AS id FROM admission_decisions
     WHERE engine = ? AND container_id IS NOT NULL AND outcome <> 'rejected' GROUP BY container_id`,
  );

  function toDecision(r: DecisionRow): AdmissionDecision {
    const request = JSON.parse(r.request) as AdmissionRequestSummary;
    if (r.containerId) request.container = { id: r.containerId, name: r.containerName ?? request.container?.name ?? r.containerId.slice(0, 12) };
    return {
      id: r.id,
      admitted: r.outcome !== 'rejected',
      outcome: r.outcome,
      mode: r.mode,
      checks: JSON.parse(r.checks) as AdmissionCheck[],
      summary: r.summary,
      wouldReject: r.wouldReject === 1,
      request,
      facts: JSON.parse(r.facts) as AdmissionFacts,
      actor: r.actor,
      at: r.ts,
      reservation: r.reservation ?? 'none',
    };
  }

  return {
    /** Runs `fn` in one BEGIN IMMEDIATE transaction (the write lock first): what it reads, no other connection changes before it commits. */
    immediate<T>(fn: () => T): T {
      return db.transaction(fn).immediate();
    },

    policy: (): StoredPolicy | undefined => policyGet.get() as StoredPolicy | undefined,
    savePolicy(policyJson: string, at: number, by: Actor): void {
      policyPut.run(policyJson, at, by);
    },

    quotas: (): ProjectQuota[] => quotaAll.all() as ProjectQuota[],
    quota: (project: string): ProjectQuota | undefined => quotaOne.get(project) as ProjectQuota | undefined,
    saveQuota(q: ProjectQuota): void {
      quotaPut.run(q);
    },
    removeQuota: (project: string): boolean => quotaDelete.run(project).changes > 0,

    /** Records one decision (`name`: the container's name when the request has no container yet, a launch's); returns its id. */
    insertDecision(d: Omit<AdmissionDecision, 'id' | 'reservation'>, engine: string, name: string | null = null): number {
      const action = d.request.action === 'check' ? 'launch' : d.request.action;
      return Number(
        decisionInsert.run({
          ts: d.at,
          engine,
          action,
          project: d.request.project,
          containerId: d.request.container?.id ?? null,
          containerName: d.request.container?.name ?? name,
          outcome: d.outcome,
          mode: d.mode,
          actor: d.actor,
          summary: d.summary,
          request: JSON.stringify(d.request),
          facts: JSON.stringify(d.facts),
          checks: JSON.stringify(d.checks),
          wouldReject: d.wouldReject ? 1 : 0,
        }).lastInsertRowid,
      );
    },
    /** The container a launch created, on its decision (and its reservation, when it holds one). */
    bind(decisionId: number, reservationId: number | null, containerId: string, name: string | null): void {
      decisionBind.run(containerId, name, decisionId);
      if (reservationId !== null) reservationBind.run(containerId, name, reservationId);
    },
    /** Recorded decisions, newest first, by the contract's filters (a container by id prefix or name). */
    decisions(q: AdmissionDecisionsQuery): AdmissionDecision[] {
      const where: string[] = [];
      const params: Record<string, unknown> = { limit: q.limit };
      if (q.outcome) (where.push('d.outcome = @outcome'), (params.outcome = q.outcome));
      if (q.project) (where.push('d.project = @project'), (params.project = q.project));
      if (q.actor) (where.push('d.actor = @actor'), (params.actor = q.actor));
      if (q.since !== undefined) (where.push('d.ts >= @since'), (params.since = q.since));
      if (q.until !== undefined) (where.push('d.ts <= @until'), (params.until = q.until));
      if (q.container) {
        where.push("(d.container_name = @container OR d.container_id LIKE @prefix ESCAPE '\\')");
        params.container = q.container;
        params.prefix = `${q.container.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      }
      const sql = `SELECT d.id, d.ts, d.outcome, d.mode, d.actor, d.summary, d.request, d.facts, d.checks, d.would_reject AS wouldReject,
          d.container_id AS containerId, d.container_name AS containerName, r.state AS reservation
        FROM admission_decisions AS d LEFT JOIN admission_reservations AS r ON r.decision_id = d.id
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY d.id DESC LIMIT @limit`;
      return (db.prepare(sql).all(params) as DecisionRow[]).map(toDecision);
    },
    /** The newest decision that let each container of `engine` run (for the audit: containers without one). */
    admittedContainers(engine: string): Set<string> {
      return new Set((latestForContainers.all(engine) as { containerId: string }[]).map((r) => r.containerId));
    },

    /** Adds a held reservation; returns its id. */
    reserve(r: NewReservation): number {
      return Number(reservationInsert.run({ ...r, gpus: r.gpus ? JSON.stringify(r.gpus) : null, newContainer: r.newContainer ? 1 : 0 }).lastInsertRowid);
    },
    /** The reservations of `engine` that still count: held, or committed at or after `committedSince` (ms since epoch). */
    activeReservations: (engine: string, committedSince: number): ReservationRow[] => (reservationsActive.all(engine, committedSince) as RawReservation[]).map(toReservation),
    /** Every held reservation, on every engine (for expiry). */
    heldReservations: (): ReservationRow[] => (reservationsHeldAll.all() as RawReservation[]).map(toReservation),
    /** Ends a held reservation (committed, released or expired); false when it was no longer held. */
    settle: (id: number, state: Exclude<ReservationState, 'held'>, at: number, reason: string | null): boolean => reservationSettle.run(state, at, reason, id).changes > 0,
    /** Deletes settled reservations settled before `reservationsBefore`, and decisions older than `decisionsBefore` (ms since epoch). */
    prune(reservationsBefore: number, decisionsBefore: number): { reservations: number; decisions: number } {
      return { reservations: pruneReservations.run(reservationsBefore).changes, decisions: pruneDecisions.run(decisionsBefore).changes };
    },
  };
}
export type AdmissionRepository = ReturnType<typeof createAdmissionRepository>;
