// The admission repository on a real SQLite file: decisions and their reservation's state read back
// with the contract's filters, the ledger's states, and BEGIN IMMEDIATE taking the write lock before
// anything is read — so a decision of a second process on the same data folder waits instead of
// reading the same reservations (a deferred BEGIN would not).
import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tmpDataDir } from '../../test-support';
import { recordedDecision } from '../../test-support/admission';
import { createAdmissionRepository } from './admission';
import { DB_FILE, openDatabase } from './db';

const decision = (at = 1000) => recordedDecision(at, { project: 'ml' });
const reservation = (decisionId: number, o = {}) => ({ decisionId, engine: 'local', project: 'ml', containerId: null, name: 'nb', memoryBytes: 5, memoryCounted: 5, cpus: 1, gpus: { count: 1, deviceIds: null }, newContainer: true, ownerPid: process.pid, createdAt: 1000, expiresAt: 9000, ...o });

describe('the admission repository', () => {
  it('records decisions and reads them back newest first, by outcome, project, actor, container and time, with their reservation', () => {
    const db = openDatabase(tmpDataDir());
    const repo = createAdmissionRepository(db);
    const a = repo.insertDecision(decision(1000), 'local');
    const b = repo.insertDecision(recordedDecision(2000, { project: 'web' }, { admitted: false, outcome: 'rejected', actor: 'cli' }), 'local');
    const r = repo.reserve(reservation(a));
    repo.bind(a, r, 'f'.repeat(64), 'nb');
    expect(repo.decisions({ limit: 10 }).map((d) => [d.id, d.outcome, d.reservation])).toEqual([
      [b, 'rejected', 'none'],
      [a, 'admitted', 'held'],
    ]);
    expect(repo.decisions({ limit: 10, outcome: 'rejected' }).map((d) => d.id)).toEqual([b]);
    expect(repo.decisions({ limit: 10, project: 'ml' }).map((d) => d.id)).toEqual([a]);
    expect(repo.decisions({ limit: 10, actor: 'cli' }).map((d) => d.id)).toEqual([b]);
    expect(repo.decisions({ limit: 10, since: 1500 }).map((d) => d.id)).toEqual([b]);
    expect(repo.decisions({ limit: 10, container: 'ffff' })[0]!.request.container).toEqual({ id: 'f'.repeat(64), name: 'nb' });
    expect(repo.decisions({ limit: 10, container: 'nb' }).map((d) => d.id)).toEqual([a]);
    expect(repo.decisions({ limit: 10, container: '%' })).toEqual([]); // LIKE wildcards are matched as themselves
    expect(repo.admittedContainers('local')).toEqual(new Set(['f'.repeat(64)]));
    db.close();
  });

  it('keeps the ledger: held and recently committed reservations count; settled ones are settled once and pruned later', () => {
    const db = openDatabase(tmpDataDir());
    const repo = createAdmissionRepository(db);
    const d = repo.insertDecision(decision(), 'local');
    const r1 = repo.reserve(reservation(d));
    const r2 = repo.reserve(reservation(repo.insertDecision(decision(), 'local'), { gpus: null }));
    expect(repo.activeReservations('local', 0).map((r) => [r.id, r.state, r.gpus])).toEqual([
      [r1, 'held', { count: 1, deviceIds: null }],
      [r2, 'held', null],
    ]);
    expect(repo.settle(r1, 'committed', 5000, null)).toBe(true);
    expect(repo.settle(r1, 'released', 5001, 'late')).toBe(false); // settled once
    expect(repo.settle(r2, 'released', 5000, 'pull failed')).toBe(true);
    expect(repo.activeReservations('local', 4000).map((r) => [r.id, r.state, r.settledAt])).toEqual([[r1, 'committed', 5000]]);
    expect(repo.activeReservations('local', 6000)).toEqual([]);
    expect(repo.activeReservations('other', 0)).toEqual([]);
    expect(repo.prune(6000, 0)).toEqual({ reservations: 2, decisions: 0 });
    db.close();
  });

  it('stores quotas and the policy row', () => {
    const db = openDatabase(tmpDataDir());
    const repo = createAdmissionRepository(db);
    repo.saveQuota({ project: 'ml', containers: 3, memoryBytes: null, cpus: 2.5, gpus: 0, updatedAt: 1, updatedBy: 'cli' });
    expect(repo.quota('ml')).toEqual({ project: 'ml', containers: 3, memoryBytes: null, cpus: 2.5, gpus: 0, updatedAt: 1, updatedBy: 'cli' });
    expect(repo.removeQuota('ml')).toBe(true);
    expect(repo.removeQuota('ml')).toBe(false);
    expect(repo.policy()).toBeUndefined();
    repo.savePolicy('{"mode":"audit"}', 7, 'user');
    repo.savePolicy('{"mode":"enforce"}', 8, 'cli');
    expect(repo.policy()).toEqual({ policy: '{"mode":"enforce"}', updatedAt: 8, updatedBy: 'cli' });
    db.close();
  });

  it('takes the write lock before reading: a second connection cannot start a decision until the first commits, and then sees its reservation', () => {
    const dir = tmpDataDir();
    const first = openDatabase(dir);
    const second = new Database(path.join(dir, DB_FILE));
    second.pragma('busy_timeout = 0'); // refuse at once instead of waiting, to see the lock
    const a = createAdmissionRepository(first);
    const b = createAdmissionRepository(second);
    const seen: string[] = [];
    a.immediate(() => {
      a.reserve(reservation(a.insertDecision(decision(), 'local')));
      // While the first decision is under way: the second cannot even begin reading the ledger…
      expect(() => b.immediate(() => b.activeReservations('local', 0))).toThrow(/database is locked/);
      // …whereas a deferred read transaction would have read the ledger without the reservation being decided.
      seen.push(`deferred read sees ${second.transaction(() => b.activeReservations('local', 0).length)()}`);
    });
    seen.push(`after commit sees ${b.immediate(() => b.activeReservations('local', 0).length)}`);
    expect(seen).toEqual(['deferred read sees 0', 'after commit sees 1']);
    second.close();
    first.close();
  });
});
