// The one table of valid and invalid human strings: the core's contract and the renderer's launch
// form both validate through these parsers (and launchSchema), so this table covers both.
import { describe, expect, it } from 'vitest';
import { launchSchema } from './contract';
import { parseGpus } from './gpus';
import { splitCommand } from './command';
import { checkContainerName, checkImageRef, parseEnv, parsePort } from './launch';
import { parseVolume } from './volumes';
import { envEntryForMessage } from './secret-env';
import { parseBytes, parseCpus, parseUlimit, UnitError } from './units';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

const valid: [string, (s: string) => unknown, string, unknown][] = [
  ['cpus', parseCpus, '2', 2],
  ['cpus', parseCpus, '0.5', 0.5],
  ['cpus', parseCpus, '500m', 0.5],
  ['cpus', parseCpus, '.25', 0.25],
  ['bytes', parseBytes, '512m', 512 * MiB],
  ['bytes', parseBytes, '1g', GiB],
  ['bytes', parseBytes, '1.5GiB', 1.5 * GiB],
  ['bytes', parseBytes, '2048Mi', 2 * GiB],
  ['bytes', parseBytes, '32g', 34359738368],
  ['bytes', parseBytes, '1073741824', GiB],
  ['ulimit', parseUlimit, 'memlock=-1', { Name: 'memlock', Soft: -1, Hard: -1 }],
  ['ulimit', parseUlimit, 'stack=67108864', { Name: 'stack', Soft: 67108864, Hard: 67108864 }],
  ['ulimit', parseUlimit, 'nofile=1024:2048', { Name: 'nofile', Soft: 1024, Hard: 2048 }],
  ['gpus', parseGpus, 'all', { Driver: '', Count: -1, DeviceIDs: null, Capabilities: [['gpu']], Options: {} }],
  ['gpus', parseGpus, '2', { Driver: '', Count: 2, DeviceIDs: null, Capabilities: [['gpu']], Options: {} }],
  ['gpus', parseGpus, '0,1', { Driver: '', Count: 0, DeviceIDs: ['0', '1'], Capabilities: [['gpu']], Options: {} }],
  ['gpus', parseGpus, 'device=0,1', { Driver: '', Count: 0, DeviceIDs: ['0', '1'], Capabilities: [['gpu']], Options: {} }],
  ['gpus', parseGpus, 'GPU-3f2a9c1e-aaaa', { Driver: '', Count: 0, DeviceIDs: ['GPU-3f2a9c1e-aaaa'], Capabilities: [['gpu']], Options: {} }],
  ['gpus', parseGpus, 'none', null],
  ['port', parsePort, '80', { containerPort: 80, protocol: 'tcp', hostPort: 0 }],
  ['port', parsePort, '8888:8888', { containerPort: 8888, protocol: 'tcp', hostPort: 8888 }],
  ['port', parsePort, '0:80', { containerPort: 80, protocol: 'tcp', hostPort: 0 }],
  ['port', parsePort, '127.0.0.1:8080:80/udp', { containerPort: 80, protocol: 'udp', hostPort: 8080, hostIp: '127.0.0.1' }],
  ['env', parseEnv, 'NGC_KEY=a=b', { key: 'NGC_KEY', value: 'a=b' }],
  ['env', parseEnv, 'EMPTY=', { key: 'EMPTY', value: '' }],
  ['volume', parseVolume, '/home/user/work:/workspace/work', { type: 'bind', source: '/home/user/work', target: '/workspace/work', readOnly: false, mode: '' }],
  ['volume', parseVolume, '/data:/data:ro', { type: 'bind', source: '/data', target: '/data', readOnly: true, mode: 'ro' }],
  ['volume', parseVolume, 'models:/models', { type: 'volume', source: 'models', target: '/models', readOnly: false, mode: '' }],
  ['volume', parseVolume, '/a', { type: 'volume', source: '', target: '/a', readOnly: false, mode: '' }],
  ['name', checkContainerName, 'ngc-pytorch_1.a', 'ngc-pytorch_1.a'],
  ['image', checkImageRef, 'nvcr.io/nvidia/pytorch:25.12-py3', 'nvcr.io/nvidia/pytorch:25.12-py3'],
  ['image', checkImageRef, '127.0.0.1:5000/mlenv/layers:v1', '127.0.0.1:5000/mlenv/layers:v1'],
  ['image', checkImageRef, 'busybox', 'busybox'],
  ['image', checkImageRef, `busybox@sha256:${'a'.repeat(64)}`, `busybox@sha256:${'a'.repeat(64)}`],
  ['command', splitCommand, `sh -c 'echo "hi there"; sleep 1'`, ['sh', '-c', 'echo "hi there"; sleep 1']],
  ['command', splitCommand, '  ', []],
];

const invalid: [string, (s: string) => unknown, string, RegExp][] = [
  ['cpus', parseCpus, '0', /more than zero/],
  ['cpus', parseCpus, '-1', /is not a CPU amount.*500m/],
  ['cpus', parseCpus, '2 cores', /is not a CPU amount/],
  ['cpus', parseCpus, '10000', /more CPUs than any machine/],
  ['bytes', parseBytes, '1x', /"1x" is not a size.*512m, 1g/],
  ['bytes', parseBytes, '', /is not a size/],
  ['bytes', parseBytes, '-5m', /is not a size/],
  ['bytes', parseBytes, '0', /more than zero/],
  ['ulimit', parseUlimit, 'memlock', /not a ulimit.*memlock=-1/],
  ['ulimit', parseUlimit, 'bogus=1', /not a ulimit/],
  ['ulimit', parseUlimit, 'nofile=2048:1024', /soft limit must not exceed/],
  ['gpus', parseGpus, '0', /not a GPU count/],
  ['gpus', parseGpus, 'some', /not a GPU selection/],
  ['gpus', parseGpus, '0,0', /distinct/],
  ['port', parsePort, '70000', /container port 70000 is not a port/],
  ['port', parsePort, '80:0', /container port 0/],
  ['port', parsePort, '80/sctp', /not a port mapping/],
  ['port', parsePort, 'localhost:80:80', /not an IPv4 address/],
  ['port', parsePort, '1:2:3:4', /not a port mapping/],
  ['env', parseEnv, 'NOVALUE', /NAME=value/],
  ['env', parseEnv, '1X=2', /not an environment variable/],
  ['volume', parseVolume, 'relative/path:/x', /neither an absolute host path/],
  ['volume', parseVolume, '/a/../etc:/x', /must not contain \.\./],
  ['volume', parseVolume, '/a:relative', /must be an absolute Linux path/],
  ['volume', parseVolume, '/a:/b:rx', /is not a volume/],
  ['volume', parseVolume, '/a:ro', /an anonymous volume takes no options/],
  ['name', checkContainerName, 'a', /not a container name/],
  ['name', checkContainerName, '-bad', /not a container name/],
  ['name', checkContainerName, 'has space', /not a container name/],
  ['image', checkImageRef, 'UPPER/case', /not an image reference/],
  ['image', checkImageRef, 'busybox:', /not an image reference/],
  ['image', checkImageRef, 'a b', /not an image reference/],
  ['command', splitCommand, `sh -c 'oops`, /unclosed ' quote/],
  ['command', splitCommand, 'echo $HOME', /is expanded by a shell/],
];

describe('resource and launch parsers', () => {
  it.each(valid)('%s %j is accepted', (_kind, parse, text, expected) => {
    expect(parse(text)).toEqual(expected);
  });
  it.each(invalid)('%s %j is refused with what is accepted', (_kind, parse, text, message) => {
    expect(() => parse(text)).toThrow(UnitError);
    expect(() => parse(text)).toThrow(message);
    // Every message names the offending value (an env entry by its name only: its value may be a secret).
    expect(() => parse(text)).toThrow(_kind === 'env' ? envEntryForMessage(text) : `"${text}"`);
  });
});

describe('launchSchema (what the form and the API both validate)', () => {
  it('turns human strings into engine values', () => {
    const r = launchSchema.parse({ image: 'busybox:latest', cpus: '500m', memory: '1.5GiB', gpus: 'all', ports: ['0:80'], env: ['A=1'] });
    expect(r).toMatchObject({ cpus: 0.5, memory: 1.5 * GiB, gpus: { Count: -1 }, ports: [{ containerPort: 80, hostPort: 0 }], project: 'default', start: true });
  });
  it('names each bad field and its value', () => {
    const r = launchSchema.safeParse({ image: 'busybox', memory: 'lots', ports: ['99999'], name: '!' });
    expect(r.success).toBe(false);
    const issues = r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^memory: "lots" is not a size/),
        expect.stringMatching(/^ports\.0: "99999": container port 99999/),
        expect.stringMatching(/^name: "!" is not a container name/),
      ]),
    );
  });
  it('refuses unknown fields', () => {
    expect(launchSchema.safeParse({ image: 'busybox', privileged: true }).success).toBe(false);
  });
});
