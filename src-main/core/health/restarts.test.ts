// Restarts within the window from RestartCount seen at inspects: the window slides without new inspects.
import { describe, expect, it } from 'vitest';
import { restartsInWindow, withRestartCount, type RestartObservation } from './restarts';

const MIN = 60_000;
const W = 10 * MIN;

describe('restarts within the window', () => {
  it('counts nothing for a container seen once, or never', () => {
    expect(restartsInWindow([], 0, W)).toBe(0);
    expect(restartsInWindow(withRestartCount([], 0, 4, W), 0, W)).toBe(0);
  });

  it('counts the restarts seen since the window began, and lets them slide out of it without another inspect', () => {
    let h: RestartObservation[] = withRestartCount([], 0, 0, W);
    h = withRestartCount(h, 1 * MIN, 1, W);
    h = withRestartCount(h, 2 * MIN, 3, W);
    expect(restartsInWindow(h, 2 * MIN, W)).toBe(3);
    expect(restartsInWindow(h, 10 * MIN, W)).toBe(3); // the window starts at 0: the count then was 0
    expect(restartsInWindow(h, 11 * MIN, W)).toBe(2); // from 1 min on: 1 → 3
    expect(restartsInWindow(h, 12 * MIN, W)).toBe(0); // both restarts left the window
  });

  it('keeps only changes of the count, and what the window still needs', () => {
    let h: RestartObservation[] = [];
    for (let t = 0; t <= 30 * MIN; t += MIN) h = withRestartCount(h, t, t === 25 * MIN ? 1 : t > 25 * MIN ? 1 : 0, W);
    expect(h).toEqual([
      { ts: 0, count: 0 },
      { ts: 25 * MIN, count: 1 },
    ]);
    expect(restartsInWindow(h, 30 * MIN, W)).toBe(1);
    h = withRestartCount(h, 40 * MIN, 1, W);
    expect(h).toEqual([{ ts: 25 * MIN, count: 1 }]); // the count at the window's start (30 min) is the one seen at 25 min
    expect(restartsInWindow(h, 40 * MIN, W)).toBe(0);
  });

  it('never counts a count that went down as restarts', () => {
    const h = withRestartCount(withRestartCount([], 0, 5, W), MIN, 0, W);
    expect(restartsInWindow(h, MIN, W)).toBe(0);
  });
});
