import { describe, expect, it } from 'vitest';
import type { LaunchInput } from '@shared/contract';
import { overridesFrom } from './customise';

const PLAN: LaunchInput = {
  image: 'nvcr.io/nvidia/pytorch:25.12-py3',
  project: 'default',
  gpus: 'all',
  ipc: 'host',
  ulimits: ['memlock=-1', 'stack=67108864'],
  ports: ['0:8888'],
  volumes: ['/home/me/work:/workspace/work'],
  command: ['jupyter', 'lab'],
  init: true,
};

describe('overridesFrom', () => {
  it('overrides only what the user changed', () => {
    expect(overridesFrom(PLAN, { ...PLAN, memory: '32g', gpus: '"device=0,1"' })).toEqual({ overrides: { memory: '32g', gpus: '"device=0,1"' }, uncleared: [] });
    expect(overridesFrom(PLAN, { ...PLAN })).toEqual({ overrides: {}, uncleared: [] });
  });

  it('says "none" for an emptied list or GPU selection, so the default does not come back', () => {
    const { gpus: _g, volumes: _v, ports: _p, ...rest } = PLAN;
    expect(overridesFrom(PLAN, rest)).toEqual({ overrides: { gpus: 'none', volumes: [], ports: [] }, uncleared: [] });
  });

  it('names an emptied field no launch can leave unset, instead of letting the default return unseen', () => {
    const { ipc: _ipc, ...rest } = PLAN;
    expect(overridesFrom({ ...PLAN, shmSize: '1g' }, rest)).toEqual({ overrides: {}, uncleared: ['shmSize', 'ipc'] });
  });

  it('never overrides the image or the name (the launch’s own)', () => {
    expect(overridesFrom(PLAN, { ...PLAN, image: 'busybox:latest', name: 'mine' }).overrides).toEqual({});
  });
});
