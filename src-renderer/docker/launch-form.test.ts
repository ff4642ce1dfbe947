import { describe, expect, it } from 'vitest';
import continuations from '@shared/fixtures/cases/command-line-continuations.txt?raw';
import quotedDeviceList from '@shared/fixtures/cases/gpus-quoted-device-list.txt?raw';
import windowsDrive from '@shared/fixtures/cases/volume-windows-drive.txt?raw';
import { launchSchema } from '@shared/contract';
import { dangerousKey, EMPTY, formFromInput, NO_CONSENTS, toLaunch } from './launch-form';

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
  it('takes one volume a line, so a volume’s comma-separated options stay together', () => {
    const { input, errors } = toLaunch({ ...EMPTY, image: 'busybox', volumes: `/srv/data:/data:ro,z\r\n\n  ${windowsDrive.trim()}  \nvol:/cache:nocopy,ro\n` });
    expect(errors).toEqual({});
    expect(input.volumes).toEqual(['/srv/data:/data:ro,z', 'C:\\Users\\alice\\Desktop\\test\\DOCKER-EXAMPLE\\code:/app', 'vol:/cache:nocopy,ro']);
    expect(launchSchema.parse(input).volumes).toEqual([
      { type: 'bind', source: '/srv/data', target: '/data', readOnly: true, mode: 'ro,z', relabel: 'z' },
      { type: 'bind', source: 'C:\\Users\\alice\\Desktop\\test\\DOCKER-EXAMPLE\\code', target: '/app', readOnly: false, mode: '' },
      { type: 'volume', source: 'vol', target: '/cache', readOnly: true, mode: 'nocopy,ro', noCopy: true },
    ]);
  });
  it('splits a pasted multi-line command as sh does, and reads --gpus as docker does', () => {
    const { input, errors } = toLaunch({ ...EMPTY, image: 'vllm/vllm-openai:latest', command: continuations, gpus: quotedDeviceList });
    expect(errors).toEqual({});
    expect(input.command).toEqual(['--model', 'SWE-bench/SWE-agent-LM-32B', '--trust-remote-code', '--tensor-parallel-size', '4', '--enable-prefix-caching', '--disable-log-requests', '--gpu-memory-utilization', '0.95']);
    expect(launchSchema.parse(input).gpus).toEqual({ Driver: '', Count: 0, DeviceIDs: ['1', '2'], Capabilities: [['gpu']], Options: {} });
  });
  it('ports and ulimits still take commas as well as lines', () => {
    const { input, errors } = toLaunch({ ...EMPTY, image: 'busybox', ports: '8888:8888, 0:80\n127.0.0.1:6006:6006', ulimits: 'memlock=-1, stack=67108864' });
    expect(errors).toEqual({});
    expect(input).toMatchObject({ ports: ['8888:8888', '0:80', '127.0.0.1:6006:6006'], ulimits: ['memlock=-1', 'stack=67108864'] });
  });
  it('names the wrong volume line, and a command only a shell could run', () => {
    const { errors } = toLaunch({ ...EMPTY, image: 'busybox', volumes: '/ok:/ok\n/a:/b:nocopy', command: 'python train.py | tee log' });
    expect(errors).toEqual({
      volumes: expect.stringContaining('"/a:/b:nocopy" is not a volume: nocopy applies to named volumes only'),
      command: expect.stringContaining('| is a shell operator'),
    });
  });
  it('publishes on 127.0.0.1 unless “reachable from the network” is ticked', () => {
    const form = { ...EMPTY, image: 'busybox', ports: '8888:8888' };
    expect(toLaunch(form).input).not.toHaveProperty('exposePorts');
    expect(launchSchema.parse(toLaunch(form).input).exposePorts).toBe(false);
    expect(toLaunch(form, { ...NO_CONSENTS, exposePorts: true }).input).toMatchObject({ exposePorts: true });
  });
  it('asks about dangerous mounts, naming each and its risk; a consent holds for exactly those mounts', () => {
    const form = { ...EMPTY, image: 'busybox', volumes: '/home/me:/w\n/var/run/docker.sock:/var/run/docker.sock\n/oops' };
    const asked = toLaunch(form);
    expect(asked.dangerous).toEqual([{ mount: '/var/run/docker.sock:/var/run/docker.sock', risk: expect.stringContaining('API socket') }]);
    expect(asked.errors.volumes).toContain('the bind mount /var/run/docker.sock:/var/run/docker.sock exposes a container engine’s API socket');
    expect(asked.input).not.toHaveProperty('allowDangerousMounts');

    const consented = toLaunch(form, { ...NO_CONSENTS, allowedMounts: dangerousKey(asked.dangerous) });
    expect(consented.errors).toEqual({});
    expect(consented.input).toMatchObject({ allowDangerousMounts: true });
    expect(launchSchema.safeParse(consented.input).success).toBe(true);

    // Another dangerous mount added after the consent: asked again.
    const changed = toLaunch({ ...form, volumes: `${form.volumes}\n/etc:/host-etc` }, { ...NO_CONSENTS, allowedMounts: dangerousKey(asked.dangerous) });
    expect(changed.dangerous.map((d) => d.mount)).toEqual(['/var/run/docker.sock:/var/run/docker.sock', '/etc:/host-etc']);
    expect(changed.input).not.toHaveProperty('allowDangerousMounts');
    expect(changed.errors.volumes).toContain('allowDangerousMounts'); // submit stays blocked
    // No dangerous mount: nothing asked, nothing sent.
    expect(toLaunch({ ...form, volumes: '/home/me:/w' }, { ...NO_CONSENTS, allowedMounts: dangerousKey(asked.dangerous) })).toMatchObject({ dangerous: [], errors: {} });
  });
});

describe('launch request → form (Customise…)', () => {
  it('fills the form so that it sends the same launch back, odd command words included', () => {
    const input = {
      image: 'nvcr.io/nvidia/pytorch:25.12-py3',
      project: 'vision',
      shmSize: '1g',
      gpus: 'all,"capabilities=compute,utility"',
      ipc: 'host' as const,
      ulimits: ['memlock=-1', 'stack=67108864'],
      ports: ['127.0.0.1:0:8888'],
      env: ['A=1', 'NOTE=a, b and c'],
      volumes: ['/home/me/vision:/workspace/vision', 'C:\\data:/data:ro'],
      command: ['jupyter', 'lab', '--ip=0.0.0.0', "--NotebookApp.token=it's $HOME", ''],
      restart: 'unless-stopped' as const,
      runtime: 'nvidia',
      init: true,
      exposePorts: true,
    };
    const { form, consents } = formFromInput(input);
    expect(consents).toEqual({ exposePorts: true, allowedMounts: null });
    const back = toLaunch(form, consents);
    expect(back.errors).toEqual({});
    expect(back.input).toEqual(input);
  });

  it('leaves the fields a launch does not set empty, and confirms no dangerous mount', () => {
    const { form, consents } = formFromInput({ image: 'busybox:latest', volumes: ['/var/run/docker.sock:/var/run/docker.sock'], allowDangerousMounts: true });
    expect(form).toEqual({ ...EMPTY, image: 'busybox:latest', volumes: '/var/run/docker.sock:/var/run/docker.sock' });
    expect(consents).toEqual(NO_CONSENTS);
  });
});
