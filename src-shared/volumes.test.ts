/// <reference types="vite/client" />
// -v values by Docker's grammar: the CLI's section split (docker/cli cli/compose/loader/volume_test.go)
// and the engine's option rules (moby volume/mounts/linux_parser_test.go), for Linux and Windows hosts.
import { describe, expect, it } from 'vitest';
import windowsDrive from './fixtures/cases/volume-windows-drive.txt?raw';
import { UnitError } from './units';
import { bindSpec, parseVolume, type VolumeMount } from './volumes';

const bind = (source: string, target: string, more: Partial<VolumeMount> = {}): VolumeMount => ({ type: 'bind', source, target, readOnly: false, mode: '', ...more });
const named = (source: string, target: string, more: Partial<VolumeMount> = {}): VolumeMount => ({ type: 'volume', source, target, readOnly: false, mode: '', ...more });

describe('-v: real inputs (fixtures/cases)', () => {
  it('Docker Desktop for Windows: the first colon belongs to the drive letter', () => {
    const m = parseVolume(windowsDrive);
    expect(m).toEqual(bind('C:\\Users\\alice\\Desktop\\test\\DOCKER-EXAMPLE\\code', '/app'));
    // Sent to the engine as the docker CLI sends it.
    expect(bindSpec(m)).toBe(windowsDrive.trim());
  });
});

describe('-v: Docker’s documented forms', () => {
  it.each<[string, VolumeMount]>([
    ['/home/user/work:/workspace/work', bind('/home/user/work', '/workspace/work')],
    ['/data:/data:ro', bind('/data', '/data', { readOnly: true, mode: 'ro' })],
    ['/data:/data:rw', bind('/data', '/data', { mode: 'rw' })],
    ['/srv/target:/app:ro,z', bind('/srv/target', '/app', { readOnly: true, mode: 'ro,z', relabel: 'z' })],
    ['/home/user/data:/data:Z', bind('/home/user/data', '/data', { mode: 'Z', relabel: 'Z' })],
    ['/mnt/shared:/mnt/shared:rshared', bind('/mnt/shared', '/mnt/shared', { mode: 'rshared', propagation: 'rshared' })],
    ['/srv/target:/app2:ro,rslave', bind('/srv/target', '/app2', { readOnly: true, mode: 'ro,rslave', propagation: 'rslave' })],
    ['models:/models', named('models', '/models')],
    ['myvol2:/app:ro', named('myvol2', '/app', { readOnly: true, mode: 'ro' })],
    ['vol:/data:nocopy', named('vol', '/data', { mode: 'nocopy', noCopy: true })],
    ['vol:/data:nocopy,ro,z', named('vol', '/data', { readOnly: true, mode: 'nocopy,ro,z', noCopy: true, relabel: 'z' })],
    ['/data', named('', '/data')],
    ['/var/run/docker.sock:/var/run/docker.sock', bind('/var/run/docker.sock', '/var/run/docker.sock')],
    ['/src:/src:cached', bind('/src', '/src', { mode: 'cached', consistency: 'cached' })],
    // Windows hosts: a drive letter with \ or /.
    ['c:/Users/me/work:/workspace', bind('c:/Users/me/work', '/workspace')],
    ['D:\\data sets\\imagenet:/data:ro', bind('D:\\data sets\\imagenet', '/data', { readOnly: true, mode: 'ro' })],
    ['C:\\foo\\:/foo', bind('C:\\foo\\', '/foo')],
    ['c:\\:/host-c:ro', bind('c:\\', '/host-c', { readOnly: true, mode: 'ro' })],
  ])('%s', (value, expected) => {
    expect(parseVolume(value)).toEqual(expected);
  });
});

describe('-v: moby linux_parser_test.go', () => {
  it.each([
    '/home',
    '/home:/home',
    '/home:/something/else',
    '/with space',
    '/home:/with space',
    'relative:/absolute-path',
    'hostPath:/containerPath:ro',
    '/hostPath:/containerPath:rw',
    '/rw:/ro',
    ...['shared', 'rshared', 'slave', 'rslave', 'private', 'rprivate', 'ro,shared', 'ro,slave', 'ro,private', 'ro,z,shared', 'ro,Z,slave', 'Z,ro,slave', 'slave,Z,ro', 'Z,slave,ro', 'slave,ro,Z', 'rslave,ro,Z', 'ro,rshared,Z', 'ro,Z,rprivate'].map(
      (o) => `/hostPath:/containerPath:${o}`,
    ),
  ])('valid: %s', (value) => {
    expect(() => parseVolume(value)).not.toThrow();
  });

  it('reads the split cases as the engine does', () => {
    expect(parseVolume('/tmp:/tmp2:ro')).toMatchObject({ type: 'bind', source: '/tmp', target: '/tmp2', readOnly: true });
    expect(parseVolume('/tmp:/tmp3:rw')).toMatchObject({ readOnly: false });
    expect(parseVolume('/tmp:/tmp5:ro-non-recursive')).toMatchObject({ readOnly: true, readOnlyNonRecursive: true });
    expect(parseVolume('/tmp:/tmp6:ro-force-recursive,rprivate')).toMatchObject({ readOnly: true, readOnlyForceRecursive: true, propagation: 'rprivate' });
    expect(parseVolume('/tmp:/tmp7:rro')).toMatchObject({ readOnly: true, readOnlyForceRecursive: true });
    expect(parseVolume('name:/named3:ro')).toMatchObject({ type: 'volume', source: 'name', readOnly: true });
  });

  it.each<[string, RegExp]>([
    ['', /it is empty/],
    ['./', /must be an absolute Linux path/],
    ['../', /must be an absolute Linux path/],
    ['/:../', /must be an absolute Linux path/],
    ['/:path', /the container path path must be an absolute Linux path/],
    [':', /a section between colons is empty/],
    ['/tmp:', /a section between colons is empty/],
    [':test', /a section between colons is empty/],
    [':/test', /a section between colons is empty/],
    ['::', /a section between colons is empty/],
    ['/tmp:::', /a section between colons is empty/],
    ['/path:rw', /an anonymous volume takes no options; to set rw give a source too, as in name:\/path:rw/],
    ['/path:ro', /an anonymous volume takes no options/],
    ['path:ro', /an anonymous volume takes no options/],
    ['/path:shared', /an anonymous volume takes no options/],
    ['/path:/path:sw', /"sw" is not a volume option/],
    ['/path:/path:rwz', /"rwz" is not a volume option/],
    ['/path:/path:ro,rshared,rslave', /more than one propagation mode/],
    ['/path:/path:ro,z,rshared,rslave', /more than one propagation mode/],
    ['/tmp:/tmp4:foo', /"foo" is not a volume option/],
    ['/tmp:tmp', /must be an absolute Linux path/],
    ...['shared', 'rshared', 'slave', 'rslave', 'private', 'rprivate'].map((p): [string, RegExp] => [`name:/absolute-path:${p}`, /applies to bind mounts only/]),
  ])('invalid: %j', (value, message) => {
    expect(() => parseVolume(value)).toThrow(UnitError);
    expect(() => parseVolume(value)).toThrow(message);
  });
});

describe('-v: the rules Docker enforces, and ours', () => {
  it.each<[string, RegExp]>([
    // One of each kind (linuxValidMountMode).
    ['/a:/b:ro,rw', /more than one ro\/rw/],
    ['/a:/b:z,Z', /more than one z\/Z/],
    ['v1:/b:nocopy,nocopy', /more than one nocopy/],
    ['/a:/b:cached,delegated', /more than one consistency mode/],
    // nocopy is for named volumes; ro-… and propagation for binds (validateMountConfigImpl).
    ['/a:/b:nocopy', /nocopy applies to named volumes only/],
    ['C:\\a:/b:nocopy', /nocopy applies to named volumes only/],
    ['vol:/b:rro', /rro applies to bind mounts only/],
    ['vol:/b:ro-non-recursive', /ro-non-recursive applies to bind mounts only/],
    // Options are case-sensitive and not trimmed.
    ['/a:/b:RO', /"RO" is not a volume option/],
    ['/a:/b:ro, z', /" z" is not a volume option/],
    ['/a:/b:ro,', /"" is not a volume option/],
    ['/a:/b:ro:z', /too many colons/],
    ['/foo:/foo:ro:foo', /too many colons/],
    ['/a:/', /must not be \/ itself/],
    ['/a:/./', /must not be \/ itself/],
    // Our safety rules: absolute host paths without .., container paths absolute without ...
    ['/a/../etc:/x', /the host path \/a\/\.\.\/etc must not contain \.\./],
    ['C:\\Users\\..\\Windows:/x', /must not contain \.\./],
    ['/a:/b/../etc', /the container path \/b\/\.\.\/etc must not contain \.\./],
    ['relative/path:/x', /relative\/path is neither an absolute host path/],
    ['./foo:/target', /\.\/foo is neither an absolute host path/],
    ['~/thing:/target', /~\/thing is neither an absolute host path/],
    ['../other:/target', /\.\.\/other is neither an absolute host path/],
    // One section: the CLI reads x: as a drive letter, not as a one-letter volume name.
    ['x:/data', /x:\/data reads as a Windows host path with no container path after it: add one, as in x:\/data:\/data/],
    ['C:\\data', /reads as a Windows host path with no container path/],
    ['c:relative:/data', /c:relative is neither an absolute host path/],
    ['C:\\a?b:/x', /a character Windows does not allow/],
    ['\\\\.\\pipe\\docker_engine:/x', /is neither an absolute host path/],
    // Windows containers are not what this app runs.
    ['C:\\source\\foo:D:\\target:ro', /the container path D:\\target must be an absolute Linux path/],
    ['c:\\windows\\:d:', /the container path d: must be an absolute Linux path/],
    // Two mounts on one value (the form takes one a line).
    ['/a:/b:ro\n/c:/d', /too many colons/],
  ])('%j is refused', (value, message) => {
    expect(() => parseVolume(value)).toThrow(UnitError);
    expect(() => parseVolume(value)).toThrow(message);
    expect(() => parseVolume(value)).toThrow(`"${value}" is not a volume`);
  });
});

describe('bindSpec: the HostConfig.Binds entry keeps the value as written', () => {
  it.each(['/srv/target:/app:ro,z', 'vol:/data:nocopy', '/tmp:/tmp6:ro-force-recursive,rprivate', 'C:\\Users\\me:/w', 'c:/x:/y:rw', '/a:/b'])('%s', (value) => {
    expect(bindSpec(parseVolume(value))).toBe(value);
  });
});
