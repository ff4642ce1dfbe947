import { describe, expect, it } from 'vitest';
import { settledOnce, type Reservation } from './admission';

function recording(fail?: 'commit' | 'release') {
  const calls: string[] = [];
  const r: Reservation = {
    bind: (id) => calls.push(`bind ${id}`),
    commit: () => {
      calls.push('commit');
      if (fail === 'commit') throw new Error('ledger busy');
    },
    release: (why) => {
      calls.push(`release ${why}`);
      if (fail === 'release') throw new Error('ledger busy');
    },
  };
  return { r, calls };
}

describe('a reservation settled once', () => {
  it('passes bind, then the first of commit or release, and nothing after', () => {
    const { r, calls } = recording();
    const s = settledOnce(r, 'the launch of a1');
    s.bind('c1');
    s.commit();
    s.release('late');
    s.commit();
    s.bind('c2');
    expect(calls).toEqual(['bind c1', 'commit']);

    const other = recording();
    const t = settledOnce(other.r, 'the start of a2');
    t.release('start a2: port is already allocated');
    t.commit();
    expect(other.calls).toEqual(['release start a2: port is already allocated']);
  });

  it('counts a reservation that throws as settled, so the operation’s own outcome is what the caller sees', () => {
    const { r, calls } = recording('release');
    const s = settledOnce(r, 'the launch of a1');
    expect(() => s.release('pull failed')).not.toThrow();
    s.release('again');
    expect(calls).toEqual(['release pull failed']);
    const c = recording('commit');
    expect(() => settledOnce(c.r, 'x').commit()).not.toThrow();
  });
});
