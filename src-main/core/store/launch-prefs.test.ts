// The one-click launch tables on a real SQLite file: remembered overrides (as sent, read back through
// the contract's schema) and the recent launches, newest first. Times are passed in.
import { describe, expect, it } from 'vitest';
import type { RecentLaunch } from '@shared/contract';
import { tmpDataDir } from '../../test-support';
import { openDatabase } from './db';
import { createLaunchPrefsRepository } from './launch-prefs';

const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);
const setup = () => {
  const db = openDatabase(tmpDataDir());
  return { db, prefs: createLaunchPrefsRepository(db) };
};
const launch = (repository: string, launchedAt: number, over: Partial<RecentLaunch> = {}): RecentLaunch => ({
  repository, tag: '25.12-py3', displayName: repository, engine: 'local', containerId: `c${launchedAt}`, containerName: `n${launchedAt}`, launchedAt, ...over,
});

describe('launch preferences repository', () => {
  it('keeps the overrides of each repository as sent, replaces them, and forgets them', () => {
    const { prefs } = setup();
    expect(prefs.prefs('nvidia/pytorch')).toBeUndefined();
    prefs.savePrefs('nvidia/pytorch', { gpus: '"device=0,1"', memory: '32g', ulimits: ['memlock=-1'] }, T0);
    prefs.savePrefs('nvidia/jax', { cpus: '4' }, T0);
    expect(prefs.prefs('nvidia/pytorch')).toEqual({ gpus: '"device=0,1"', memory: '32g', ulimits: ['memlock=-1'] });
    prefs.savePrefs('nvidia/pytorch', { memory: '8g' }, T0 + 1);
    expect(prefs.prefs('nvidia/pytorch')).toEqual({ memory: '8g' });
    expect(prefs.removePrefs('nvidia/pytorch')).toBe(true);
    expect(prefs.removePrefs('nvidia/pytorch')).toBe(false);
    expect(prefs.prefs('nvidia/jax')).toEqual({ cpus: '4' });
  });

  it('reads a row this version cannot use as none (the launch then takes the defaults)', () => {
    const { db, prefs } = setup();
    db.prepare('INSERT INTO launch_prefs (repository, overrides, updated_at) VALUES (?, ?, ?)').run('a/not-json', '{', T0);
    db.prepare('INSERT INTO launch_prefs (repository, overrides, updated_at) VALUES (?, ?, ?)').run('a/bad-field', JSON.stringify({ memory: 'lots' }), T0);
    db.prepare('INSERT INTO launch_prefs (repository, overrides, updated_at) VALUES (?, ?, ?)').run('a/unknown-key', JSON.stringify({ image: 'x' }), T0);
    expect(prefs.prefs('a/not-json')).toBeUndefined();
    expect(prefs.prefs('a/bad-field')).toBeUndefined();
    expect(prefs.prefs('a/unknown-key')).toBeUndefined();
  });

  it('lists the newest launch of each repository, most recent first, up to the limit', () => {
    const { prefs } = setup();
    prefs.recordLaunch(launch('nvidia/pytorch', T0));
    prefs.recordLaunch(launch('nvidia/jax', T0 + 1));
    prefs.recordLaunch(launch('nvidia/cuda', T0 + 2));
    prefs.recordLaunch(launch('nvidia/pytorch', T0 + 3, { tag: '26.01-py3' })); // relaunched: one row, moved to the top
    expect(prefs.recent(5).map((r) => [r.repository, r.tag])).toEqual([
      ['nvidia/pytorch', '26.01-py3'],
      ['nvidia/cuda', '25.12-py3'],
      ['nvidia/jax', '25.12-py3'],
    ]);
    expect(prefs.recent(2)).toHaveLength(2);
    expect(prefs.recent(1)[0]).toEqual(launch('nvidia/pytorch', T0 + 3, { tag: '26.01-py3' }));
  });
});
