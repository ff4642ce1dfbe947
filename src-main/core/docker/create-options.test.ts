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
  // The fixtures are `docker run -p 8888:8888`: every host address, which here is asked for by name.
  exposePorts: true,
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
    expect(opts.HostConfig?.PortBindings).toEqual({ '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }], '53/udp': [{ HostIp: '127.0.0.1', HostPort: '' }] });
    expect(opts.ExposedPorts).toEqual({ '80/tcp': {}, '53/udp': {} });
    expect(opts.Labels).toEqual({ 'org.x': 'y', 'io.mlenv.managed': 'true', 'io.mlenv.project': 'vision', 'io.mlenv.probe': 'http:80/ready' });
    expect(opts.HostConfig).toMatchObject({ Runtime: 'nvidia', RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 0 } });
    expect(parseProbeLabel(opts.Labels!['io.mlenv.probe'])).toEqual({ kind: 'http', port: 80, path: '/ready' });
  });
  it('publishes on 127.0.0.1 unless exposePorts, and keeps an address written in the spec', () => {
    const bindings = (input: object) => buildCreateOptions(launchSchema.parse({ image: 'busybox', ...input })).HostConfig?.PortBindings;
    expect(bindings({ ports: ['8888:8888', '0:80/udp', '6006'] })).toEqual({
      '8888/tcp': [{ HostIp: '127.0.0.1', HostPort: '8888' }],
      '80/udp': [{ HostIp: '127.0.0.1', HostPort: '' }],
      '6006/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }],
    });
    // "Reachable from the network": no HostIp, as plain `-p 8888:8888` sends it (every address, IPv4 and IPv6).
    expect(bindings({ ports: ['8888:8888'], exposePorts: true })).toEqual({ '8888/tcp': [{ HostPort: '8888' }] });
    // Written addresses win either way.
    expect(bindings({ ports: ['0.0.0.0:8888:8888', '192.168.1.20:0:80'] })).toEqual({
      '8888/tcp': [{ HostIp: '0.0.0.0', HostPort: '8888' }],
      '80/tcp': [{ HostIp: '192.168.1.20', HostPort: '' }],
    });
    expect(bindings({ ports: ['127.0.0.1:8888:8888'], exposePorts: true })).toEqual({ '8888/tcp': [{ HostIp: '127.0.0.1', HostPort: '8888' }] });
  });
  it('a caller cannot unset our managed label', () => {
    const opts = buildCreateOptions(launchSchema.parse({ image: 'busybox', labels: { 'io.mlenv.managed': 'false' } }));
    expect(opts.Labels!['io.mlenv.managed']).toBe('true');
  });
});

describe('buildCreateOptions: -v and --gpus as the docker CLI sends them', () => {
  const caseFile = (name: string) => readFileSync(new URL(`../../../src-shared/fixtures/cases/${name}`, import.meta.url), 'utf8');

  it('puts each -v with a source in Binds as written, every option kept', () => {
    const windows = caseFile('volume-windows-drive.txt').trim();
    const volumes = ['/srv/data:/data:ro,z', '/home/me/x:/x:Z', '/mnt/nfs:/mnt/nfs:rshared', 'models:/models:nocopy', '/tmp:/t:ro-force-recursive,rprivate', windows];
    const opts = buildCreateOptions(launchSchema.parse({ image: 'busybox', volumes }));
    expect(opts.HostConfig?.Binds).toEqual(volumes);
    expect(opts.HostConfig?.Binds).toContain('C:\\Users\\alice\\Desktop\\test\\DOCKER-EXAMPLE\\code:/app');
    expect(opts).not.toHaveProperty('Volumes');
  });
  it('puts an anonymous volume in Config.Volumes, not in Binds', () => {
    const opts = buildCreateOptions(launchSchema.parse({ image: 'busybox', volumes: ['/scratch', '/home/me:/w'] }));
    expect(opts.Volumes).toEqual({ '/scratch': {} });
    expect(opts.HostConfig?.Binds).toEqual(['/home/me:/w']);
    expect(buildCreateOptions(launchSchema.parse({ image: 'busybox', volumes: ['/scratch'] })).HostConfig).not.toHaveProperty('Binds');
  });
  it.each([
    ['"device=1,2"', { Driver: '', Count: 0, DeviceIDs: ['1', '2'], Capabilities: [['gpu']], Options: {} }],
    ['all,"capabilities=compute,utility"', { Driver: '', Count: -1, DeviceIDs: null, Capabilities: [['compute', 'utility', 'gpu']], Options: {} }],
    ['driver=nvidia,"options=foo=bar,baz=qux"', { Driver: 'nvidia', Count: 1, DeviceIDs: null, Capabilities: [['gpu']], Options: { baz: 'qux', foo: 'bar' } }],
  ])('--gpus %s → the DeviceRequest on the wire', (gpus, request) => {
    const opts = buildCreateOptions(launchSchema.parse({ image: 'busybox', gpus }));
    expect(JSON.stringify(JSON.parse(JSON.stringify(opts)).HostConfig.DeviceRequests)).toBe(JSON.stringify([request]));
  });
});
