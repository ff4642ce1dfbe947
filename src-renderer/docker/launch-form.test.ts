import { describe, expect, it } from 'vitest';
import { EMPTY, toLaunch } from './launch-form';

describe('launch form → request', () => {
  it('turns the fields into a launch request the core accepts', () => {
    const { input, errors } = toLaunch({
      ...EMPTY,
      image: ' busybox:latest ',
      cpus: '500m',
      memory: '1g',
      ports: '8888:8888, 0:80',
      env: 'A=1\nB=two words',
      volumes: '/data:/data:ro',
      command: `sh -c 'echo hi'`,
      ipc: 'host',
      ulimits: 'memlock=-1\nstack=67108864',
      restart: 'unless-stopped',
    });
    expect(errors).toEqual({});
    expect(input).toEqual({
      image: 'busybox:latest',
      project: 'default',
      cpus: '500m',
      memory: '1g',
      ports: ['8888:8888', '0:80'],
      env: ['A=1', 'B=two words'],
      volumes: ['/data:/data:ro'],
      command: ['sh', '-c', 'echo hi'],
      restart: 'unless-stopped',
      ipc: 'host',
      ulimits: ['memlock=-1', 'stack=67108864'],
      init: true,
    });
  });
  it('shows the shared parsers’ messages on the fields that are wrong', () => {
    const { errors } = toLaunch({ ...EMPTY, image: 'busybox', memory: '2 lots', gpus: 'many', ports: '80:0', command: `sh -c 'x` });
    expect(errors).toEqual({
      memory: expect.stringContaining('"2 lots" is not a size'),
      gpus: expect.stringContaining('"many" is not a GPU selection'),
      ports: expect.stringContaining('"80:0": container port 0'),
      command: expect.stringContaining('unclosed'),
    });
  });
});
