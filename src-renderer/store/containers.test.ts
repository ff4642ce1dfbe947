import { describe, expect, it } from 'vitest';
import type { ContainerDetail, ContainersChanged, ContainerSummary } from '@shared/contract';
import { changeKind, dropContainer, failedContainers, loadedContainers, toSummary, upsertContainer, type ContainersState } from './containers';

const row = (id: string, over: Partial<ContainerSummary> = {}): ContainerSummary => ({
  id,
  name: `c-${id}`,
  image: 'mlenv-test/busybox:latest',
  state: 'running',
  status: 'Up 2 seconds',
  created: 1_700_000_000,
  managed: true,
  project: null,
  engine: 'local',
  ports: [],
  labels: { 'io.mlenv.managed': 'true' },
  ...over,
});
const change = (id: string, action: string): ContainersChanged => ({ engine: 'local', id, name: `c-${id}`, action });

describe('containers store reducers', () => {
  const two: ContainersState = { list: [row('b'), row('a')] };

  it('drops the row on destroy and on MLEnv’s remove, whether or not the list holds it', () => {
    expect(changeKind(two, change('a', 'destroy'))).toBe('drop');
    expect(changeKind(two, change('a', 'remove'))).toBe('drop');
    expect(changeKind({}, change('zz', 'destroy'))).toBe('drop');
    expect(dropContainer(two, 'a')).toEqual({ list: [row('b')] });
    expect(dropContainer(two, 'zz')).toBe(two); // nothing to drop: the same state, no re-render
    expect(dropContainer({}, 'a')).toEqual({});
  });

  it('refreshes a known row, and reads the list for one it lacks or before the first load', () => {
    for (const action of ['start', 'die', 'stop', 'pause', 'unpause', 'oom', 'restart', 'launch'])
      expect(changeKind(two, change('a', action)), action).toBe('refresh');
    expect(changeKind(two, change('new', 'create'))).toBe('reload');
    expect(changeKind(two, change('new', 'launch'))).toBe('reload');
    expect(changeKind({}, change('a', 'start'))).toBe('reload');
  });

  it('replaces an inspected row in place, as a summary only, and puts a new one first', () => {
    const detail = { ...row('a', { state: 'exited', status: 'Exited (0) 1 second ago' }), env: ['SECRET=***'], exitCode: 0 } as unknown as ContainerDetail;
    const next = upsertContainer(two, detail);
    expect(next.list!.map((c) => [c.id, c.state])).toEqual([
      ['b', 'running'],
      ['a', 'exited'],
    ]);
    expect(next.list![1]).toEqual(row('a', { state: 'exited', status: 'Exited (0) 1 second ago' }));
    expect(next.list![1]).not.toHaveProperty('env');
    expect(two.list![1]!.state).toBe('running'); // the old state is not touched
    expect(upsertContainer(two, row('c')).list!.map((c) => c.id)).toEqual(['c', 'b', 'a']);
    expect(upsertContainer({}, row('c')).list!.map((c) => c.id)).toEqual(['c']);
  });

  it('keeps health on a summary only when the engine gave it', () => {
    expect(toSummary(row('a'))).not.toHaveProperty('health');
    expect(toSummary(row('a', { health: 'warning' })).health).toBe('warning');
  });

  it('a load replaces the list and clears the error; a failure keeps the last list with the words', () => {
    const failed = failedContainers(two, new Error('engine local is unreachable'));
    expect(failed).toEqual({ list: two.list, error: 'engine local is unreachable' });
    expect(loadedContainers(failed, [row('c')])).toEqual({ list: [row('c')] });
  });
});
