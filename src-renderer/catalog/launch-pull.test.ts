import { describe, expect, it } from 'vitest';
import type { PullProgress } from '@shared/contract';
import { launchPull } from './launch-pull';

const pull = (ref: string, current: number, done = false): PullProgress => ({ ref, engine: 'local', layers: [], current, total: 100, done });

describe('launchPull', () => {
  it('shows the pull of this image that moved since the launch began, not an earlier finished one', () => {
    const old = pull('nvcr.io/nvidia/pytorch:25.11-py3', 100, true);
    const before = { [old.ref]: old };
    expect(launchPull(before, before, 'nvcr.io/nvidia/pytorch')).toBeUndefined();
    const now = pull('nvcr.io/nvidia/pytorch:25.12-py3', 40);
    const other = pull('nvcr.io/nvidia/pytorch-extra:1', 10);
    expect(launchPull({ ...before, [other.ref]: other, [now.ref]: now }, before, 'nvcr.io/nvidia/pytorch')).toBe(now);
  });

  it('follows a pull of the same reference again once it has a new event', () => {
    const old = pull('127.0.0.1:5000/nvidia/pytorch:25.12-py3', 100, true);
    const again = pull(old.ref, 5);
    expect(launchPull({ [old.ref]: again }, { [old.ref]: old }, '127.0.0.1:5000/nvidia/pytorch')).toBe(again);
  });
});
