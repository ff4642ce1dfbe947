// The tray's "launch again" entries: the recent catalog launches, newest first, five at most.
import { describe, expect, it } from 'vitest';
import type { RecentLaunch } from '@shared/contract';
import { trayRecentItems } from './tray-text';

const launch = (repository: string, launchedAt: number, over: Partial<RecentLaunch> = {}): RecentLaunch => ({
  repository,
  tag: '25.12-py3',
  displayName: repository.split('/').at(-1)!,
  engine: 'local',
  containerId: `c${launchedAt}`,
  containerName: `x-${launchedAt}`,
  launchedAt,
  ...over,
});

describe('trayRecentItems', () => {
  it('lists the five most recent launches, newest first, each with the tag to launch again', () => {
    const recent = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((n, i) => launch(`nvidia/${n}`, 1000 + i));
    const items = trayRecentItems(recent);
    expect(items.map((i) => i.repository)).toEqual(['nvidia/g', 'nvidia/f', 'nvidia/e', 'nvidia/d', 'nvidia/c']);
    expect(items[0]).toEqual({ repository: 'nvidia/g', tag: '25.12-py3', engine: 'local', label: 'g 25.12-py3' });
  });

  it('names a remote engine, and doubles & so that Electron does not take it for an access key', () => {
    const [item] = trayRecentItems([launch('team/r&d', 1, { displayName: 'R&D tools', tag: 'v2', engine: 'gpu-box' })]);
    expect(item!.label).toBe('R&&D tools v2 on gpu-box');
  });

  it('is empty when nothing was launched from the catalog', () => {
    expect(trayRecentItems([])).toEqual([]);
  });
});
