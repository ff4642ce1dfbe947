import { describe, expect, it } from 'vitest';
import { AppError } from '@shared/errors';
import { createInFlight } from './in-flight';

const local = { id: 'local', name: 'local' };
const lab = { id: 'e-lab', name: 'lab' };

describe('names in flight', () => {
  it('refuses a second claim on a name while the first is held, naming what is under way and who asked', () => {
    const f = createInFlight();
    const leave = f.claim(local, 'train-1', 'launch', 'cli');
    let err: unknown;
    try {
      f.claim(local, 'train-1', 'start', 'user');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'CONFLICT', message: 'start train-1: a launch of container train-1 on engine local (by cli) is under way; try again when it has finished' });
    leave();
    expect(() => f.claim(local, 'train-1', 'start', 'user')).not.toThrow();
  });

  it('matches names as Docker does: exactly, a leading "/" ignored, per engine', () => {
    const f = createInFlight();
    f.claim(local, 'train-1', 'launch', 'user');
    expect(() => f.claim(local, '/train-1', 'launch', 'user')).toThrow(/under way/);
    expect(() => f.claim(local, 'Train-1', 'launch', 'user')).not.toThrow();
    expect(() => f.claim(lab, 'train-1', 'launch', 'user')).not.toThrow();
  });

  it('lets go once: a stale release cannot free a later claim on the same name', () => {
    const f = createInFlight();
    const first = f.claim(local, 'a1', 'launch', 'user');
    first();
    f.claim(local, 'a1', 'restart', 'reconciler');
    first(); // again, late
    expect(() => f.claim(local, 'a1', 'launch', 'user')).toThrow(/a restart of container a1 on engine local \(by reconciler\)/);
  });
});
