import { describe, expect, it } from 'vitest';
import type { ImageSummary, PullProgress } from '@shared/contract';
import { applyPull, failedImages, hidePull, loadedImages, type ImagesState } from './images';

const progress = (ref: string, current: number, over: Partial<PullProgress> = {}): PullProgress => ({
  ref,
  engine: 'local',
  layers: [{ id: 'a1b2c3', status: 'Downloading', current, total: 100 }],
  current,
  total: 100,
  done: false,
  ...over,
});
const image: ImageSummary = { id: 'sha256:abc', tags: ['busybox:latest'], size: 1024, created: 1_700_000_000_000, containers: null };

describe('images store reducers', () => {
  it('each pull.progress replaces its pull’s figures; the list is read again once, when it finishes well', () => {
    let s: ImagesState = { pulls: {} };
    const steps = [progress('r:1', 10), progress('r:1', 60), progress('r:1', 100, { done: true }), progress('r:1', 100, { done: true })];
    const reloads = steps.map((p) => {
      const r = applyPull(s, p);
      s = r.state;
      return r.reload;
    });
    expect(reloads).toEqual([false, false, true, false]); // the pull's own answer after its last event reads nothing again
    expect(s.pulls['r:1']).toEqual(progress('r:1', 100, { done: true }));
  });

  it('a failed pull shows its error and reads nothing; pulls of two refs are kept apart', () => {
    const a = applyPull({ pulls: {} }, progress('r:1', 40));
    const b = applyPull(a.state, progress('r:2', 5));
    const failed = applyPull(b.state, progress('r:1', 40, { done: true, error: 'manifest unknown' }));
    expect(failed.reload).toBe(false);
    expect(Object.keys(failed.state.pulls)).toEqual(['r:1', 'r:2']);
    expect(failed.state.pulls['r:1']!.error).toBe('manifest unknown');
    // Pulled again after the failure: finishing well now reads the list.
    expect(applyPull(failed.state, progress('r:1', 100, { done: true })).reload).toBe(true);
  });

  it('hiding a pull removes only it; loads and failures keep the pulls', () => {
    const s: ImagesState = { pulls: { 'r:1': progress('r:1', 100, { done: true }), 'r:2': progress('r:2', 1) } };
    expect(Object.keys(hidePull(s, 'r:1').pulls)).toEqual(['r:2']);
    const failed = failedImages(s, new Error('engine local is unreachable'));
    expect(failed.error).toBe('engine local is unreachable');
    expect(loadedImages(failed, [image])).toEqual({ pulls: s.pulls, images: [image], error: undefined });
  });
});
