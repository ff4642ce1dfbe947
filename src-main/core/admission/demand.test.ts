// launchDemand(): what a launch's caller knew of the pull becomes the demand decide() judges.
import { describe, expect, it } from 'vitest';
import { launchDemand } from './demand';

const GiB = 1024 ** 3;
const o = { engine: 'local', defaultMemory: 2 * GiB, defaultRuntime: null };
const spec = { image: 'nvcr.io/nvidia/pytorch:25.12-py3', project: 'default' };

describe('a launch demand and its pull', () => {
  it('carries the download size of a missing image, and none for a present one', () => {
    expect(launchDemand(spec, { ...o, imagePresent: false, pullBytes: 9 * GiB })).toMatchObject({ imagePresent: false, pullBytes: 9 * GiB });
    expect(launchDemand(spec, { ...o, imagePresent: true, pullBytes: 9 * GiB })).toMatchObject({ imagePresent: true, pullBytes: null });
  });

  it('leaves the pull unknown when nothing was said (the launch form)', () => {
    const d = launchDemand(spec, o);
    expect(d.pullBytes).toBeNull();
    expect(d).not.toHaveProperty('imagePresent');
  });

  it('counts a present image pulled again (pull "always") as unknown: what changed is not known', () => {
    const d = launchDemand({ ...spec, pull: 'always' }, { ...o, imagePresent: true });
    expect(d.pullBytes).toBeNull();
    expect(d).not.toHaveProperty('imagePresent');
    expect(launchDemand({ ...spec, pull: 'always' }, { ...o, imagePresent: false, pullBytes: GiB })).toMatchObject({ imagePresent: false, pullBytes: GiB });
  });

  it('drops a size that is not a whole, non-negative byte count', () => {
    for (const bad of [Number.NaN, -1, 1.5, Infinity, 2 ** 60]) expect(launchDemand(spec, { ...o, imagePresent: false, pullBytes: bad }).pullBytes).toBeNull();
  });
});
