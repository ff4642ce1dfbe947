import { describe, expect, it } from 'vitest';
import { checkFromLaunch, checkKey } from './request';

describe('launch → admission.check input', () => {
  it('takes what admission counts, as typed, and leaves the rest of the launch out', () => {
    expect(
      checkFromLaunch({ image: 'busybox:latest', project: 'research', memory: ' 16g ', cpus: '500m', gpus: 'all', ports: ['8888:8888'], env: ['A=1'], engine: 'local' }),
    ).toEqual({ project: 'research', engine: 'local', memory: '16g', cpus: '500m', gpus: 'all', image: 'busybox:latest' });
  });

  it('leaves out the fields the form refuses, so the preview follows the rest', () => {
    expect(checkFromLaunch({ image: 'busybox', memory: 'lots', cpus: '2', project: 'bad name' }, new Set(['memory', 'project']))).toEqual({
      project: 'default',
      cpus: '2',
      image: 'busybox',
    });
    expect(checkFromLaunch({ image: '' })).toEqual({ project: 'default' });
  });

  it('adds what a caller knows of the pull (a catalog plan): the image present, or its size in whole bytes', () => {
    expect(checkFromLaunch({ image: 'nvcr.io/nvidia/pytorch:25.12-py3' }, new Set(), { imagePresent: false, pullBytes: 9_876_543_210 })).toMatchObject({ imagePresent: false, pullBytes: 9_876_543_210 });
    expect(checkFromLaunch({ image: 'x' }, new Set(), { imagePresent: false, pullBytes: 1.5 })).not.toHaveProperty('pullBytes');
    expect(checkFromLaunch({ image: 'x' }, new Set(), { imagePresent: false, pullBytes: -1 })).not.toHaveProperty('pullBytes');
    expect(checkFromLaunch({ image: 'x' }, new Set(), { imagePresent: false, pullBytes: null })).toEqual({ project: 'default', image: 'x', imagePresent: false });
    // A present image pulls nothing, whatever size is given.
    expect(checkFromLaunch({ image: 'x' }, new Set(), { imagePresent: true, pullBytes: 5 })).toEqual({ project: 'default', image: 'x', imagePresent: true });
    expect(checkFromLaunch({ image: 'x' })).not.toHaveProperty('imagePresent');
  });

  it('gives equal requests one key, whatever their key order, and different ones different keys', () => {
    expect(checkKey({ project: 'a', memory: '1g', cpus: '2' })).toBe(checkKey({ cpus: '2', memory: '1g', project: 'a' }));
    expect(checkKey({ project: 'a', memory: '1g' })).not.toBe(checkKey({ project: 'a', memory: '2g' }));
    expect(checkKey({ project: 'a', memory: '1g' })).not.toBe(checkKey({ project: 'a', cpus: '1g' }));
  });
});
