// The create body must be what the docker CLI sends for the same flags (fixtures recorded from
// `docker run --gpus … --ipc=host --ulimit …`), apart from our labels.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { launchSchema } from '@shared/contract';
import { buildCreateOptions, parseProbeLabel } from './create-options';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;
const common = {
  image: 'nvcr.io/nvidia/pytorch:25.12-py3',
  command: ['bash'],
  interactive: true,
  ulimits: ['memlock=-1', 'stack=67108864'],
  memory: '32g',
  cpus: '8',
  cpuset: '0-7',
  volumes: ['/home/user/work:/workspace/work'],
  ports: ['8888:8888'],
};
const withoutOurs = ({ Labels, ...rest }: ReturnType<typeof buildCreateOptions>) => {
  expect(Labels).toEqual({ 'io.mlenv.managed': 'true', 'io.mlenv.project': 'default' });
  return rest;
};

describe('buildCreateOptions', () => {
  it('--gpus all --ipc=host matches the CLI body exactly', () => {
    const opts = buildCreateOptions(launchSchema.parse({ ...common, gpus: 'all', ipc: 'host' }));
    expect(withoutOurs(opts)).toStrictEqual(fixture('docker-create-gpu-all.json'));
  });
  it('--gpus "device=0,1" --shm-size 16g matches the CLI body exactly', () => {
    const opts = buildCreateOptions(launchSchema.parse({ ...common, gpus: '0,1', shmSize: '16g' }));
    expect(withoutOurs(opts)).toStrictEqual(fixture('docker-create-gpu-devices.json'));
    // JSON as sent on the wire (DeviceIDs null for "all" must survive serialisation too).
    expect(JSON.parse(JSON.stringify(opts)).HostConfig.DeviceRequests).toEqual([{ Driver: '', Count: 0, DeviceIDs: ['0', '1'], Capabilities: [['gpu']], Options: {} }]);
  });
  it('auto-assigned ports ask for HostPort "", labels carry project and probe, runtime and restart pass through', () => {
    const opts = buildCreateOptions(
      launchSchema.parse({ image: 'busybox', ports: ['80', '127.0.0.1:0:53/udp'], project: 'vision', runtime: 'nvidia', restart: 'on-failure', probe: { kind: 'http', port: 80, path: '/ready' }, labels: { 'org.x': 'y' } }),
    );
    expect(opts.HostConfig?.PortBindings).toEqual({ '80/tcp': [{ HostPort: '' }], '53/udp': [{ HostIp: '127.0.0.1', HostPort: '' }] });
    expect(opts.ExposedPorts).toEqual({ '80/tcp': {}, '53/udp': {} });
    expect(opts.Labels).toEqual({ 'org.x': 'y', 'io.mlenv.managed': 'true', 'io.mlenv.project': 'vision', 'io.mlenv.probe': 'http:80/ready' });
    expect(opts.HostConfig).toMatchObject({ Runtime: 'nvidia', RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 0 } });
    expect(parseProbeLabel(opts.Labels!['io.mlenv.probe'])).toEqual({ kind: 'http', port: 80, path: '/ready' });
  });
  it('a caller cannot unset our managed label', () => {
    const opts = buildCreateOptions(launchSchema.parse({ image: 'busybox', labels: { 'io.mlenv.managed': 'false' } }));
    expect(opts.Labels!['io.mlenv.managed']).toBe('true');
  });
});
