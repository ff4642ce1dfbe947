import { describe, expect, it } from 'vitest';
import { launchSchema } from './contract';
import { dangerousMounts, mountRisk, normalizeHostPath } from './dangerous-mounts';
import { parseVolume } from './volumes';

const risk = (spec: string, sockets: string[] = []) => mountRisk(parseVolume(spec), sockets);

describe('dangerous bind mounts', () => {
  it.each([
    ['/var/run/docker.sock:/var/run/docker.sock', /API socket/],
    ['/run/docker.sock:/docker.sock:ro', /API socket/], // read-only does not help: a socket answers anyway
    ['/run/user/1000/docker.sock:/var/run/docker.sock', /API socket/], // rootless Docker
    ['/run/user/1000/podman/podman.sock:/run/podman.sock', /API socket/],
    ['/run/containerd/containerd.sock:/c.sock', /API socket/],
    ['/home/me/my-docker.sock:/d.sock', /API socket/],
    ['/var/run:/host-run', /folder holding/],
    ['/run:/host-run', /folder holding/],
    ['/var/lib/docker:/d', /folder holding/],
    ['/var:/v', /folder holding/],
    ['/:/host', /whole file system/],
    ['//:/host', /whole file system/],
    ['/etc:/host-etc:ro', /system configuration/],
    ['/etc/:/host-etc', /system configuration/],
    ['/./etc//:/host-etc', /system configuration/],
    ['/root:/r', /root user/],
    ['/proc:/host-proc', /processes/],
    ['/sys:/s', /kernel and device/],
    ['/boot:/b', /boot loader/],
    ['/dev:/d', /raw devices/],
    ['C:\\:/c', /whole Windows drive/],
    ['c:/:/c', /whole Windows drive/],
  ])('%s is dangerous', (spec, why) => expect(risk(spec)).toMatch(why));

  it.each([
    '/etc/localtime:/etc/localtime:ro',
    '/etc/passwd:/etc/passwd:ro',
    '/dev/shm:/dev/shm',
    '/home/me/work:/workspace',
    '/var/lib/docker-data-of-mine:/x',
    '/runner:/r',
    '/rooted:/r',
    '/etcetera:/e',
    'models:/models', // a named volume
    '/scratch', // an anonymous one
    'C:\\Users\\me\\data:/data',
  ])('%s is not', (spec) => expect(risk(spec)).toBeNull());

  it('counts the engine’s own socket wherever it lives, and the folders above it', () => {
    expect(risk('/srv/engine/api.sock:/e.sock', ['/srv/engine/api.sock'])).toMatch(/API socket/);
    expect(risk('/srv/engine:/e', ['/srv/engine/api.sock'])).toMatch(/folder holding/);
    expect(risk('/srv/engine/api.sock:/e.sock')).toBeNull();
  });

  it('normalises paths as the kernel reads them', () => {
    expect(normalizeHostPath('//etc/./')).toBe('/etc');
    expect(normalizeHostPath('/')).toBe('/');
    expect(normalizeHostPath('c:\\Users\\')).toBe('C:/Users');
  });

  it('the launch contract refuses them in one sentence naming the mount and the risk, unless allowDangerousMounts', () => {
    const volumes = ['/home/me/work:/w', '/var/run/docker.sock:/var/run/docker.sock', '/etc:/host-etc:ro'];
    const r = launchSchema.safeParse({ image: 'busybox', volumes });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      [
        'volumes.1',
        'the bind mount /var/run/docker.sock:/var/run/docker.sock exposes a container engine’s API socket, which gives the container full control of the engine and so root on the host; launch it only if you trust the image, with allowDangerousMounts (the form’s “Allow dangerous mounts”)',
      ],
      [
        'volumes.2',
        'the bind mount /etc:/host-etc:ro exposes the host’s system configuration (users, password hashes, sudoers, services), so writing there is root on the host; launch it only if you trust the image, with allowDangerousMounts (the form’s “Allow dangerous mounts”)',
      ],
    ]);
    const ok = launchSchema.parse({ image: 'busybox', volumes, allowDangerousMounts: true });
    expect(dangerousMounts(ok.volumes).map((d) => d.mount)).toEqual(['/var/run/docker.sock:/var/run/docker.sock', '/etc:/host-etc:ro']);
    expect(launchSchema.parse({ image: 'busybox' })).toMatchObject({ allowDangerousMounts: false, exposePorts: false });
  });
});
