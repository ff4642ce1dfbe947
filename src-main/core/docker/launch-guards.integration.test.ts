// Launch guard rails on the real engine, through the real router: published ports bind 127.0.0.1
// unless the launch says otherwise, bind mounts that hand over the host need allowDangerousMounts,
// and secret env values reach the container but neither the database nor the journal.
import type Docker from 'dockerode';
import { readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '@shared/errors';
import { MASKED_VALUE } from '@shared/secret-env';
import { realDocker, TEST_IMAGE, tmpDataDir } from '../../test-support';
import { createApp, type App } from '../app';
import { DB_FILE } from '../store/db';
import { call, removeTestContainers, RUN, startApp, testLabels } from '../../test-support/docker-app';

const docker = await realDocker();
const KEY = `nvapi-${RUN}-TOPSECRET`;
const TOKEN = `hf_${RUN}_TOPSECRET`;
const refusal = (p: Promise<unknown>) => p.then(() => new Error('expected a refusal'), (e: unknown) => e);

describe('a refused env entry, through the router into the journal', () => {
  let app: App;
  beforeAll(() => {
    app = createApp({ dataDir: tmpDataDir(), version: 'test' });
  });
  afterAll(async () => app?.dispose());

  it('names the variable, never its value, in the answer and the request.failed row', async () => {
    const r = await app.router.dispatch('containers.launch', { image: 'busybox', env: ['OK=1', `1NGC_API_KEY=${KEY}`, `NGC_API_KEY ${KEY}`, TOKEN] });
    expect(r.ok).toBe(false);
    const message = !r.ok ? r.error.message : '';
    expect(message).toContain('env.1: "1NGC_API_KEY=…" is not an environment variable');
    expect(message).toContain('env.2: an entry of ');
    expect(JSON.stringify(r)).not.toContain('TOPSECRET');
    const rows = app.db.prepare("SELECT error, details FROM events WHERE type = 'request.failed'").all() as { error: string; details: string }[];
    expect(rows).toHaveLength(1);
    expect(rows[0]!.error).toContain('"1NGC_API_KEY=…" is not an environment variable');
    expect(JSON.stringify(rows)).not.toContain('TOPSECRET');
  });
});

describe.skipIf(!docker)('launch guard rails on the real engine', () => {
  const d = docker as Docker;
  let app: App;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = tmpDataDir();
    app = await startApp(dataDir, d);
  });
  afterAll(async () => {
    await removeTestContainers(d);
    await app?.dispose();
  });

  const base = { image: TEST_IMAGE, command: ['sleep', '300'], init: true, labels: testLabels };

  it('publishes on 127.0.0.1 by default, on every address with exposePorts, and keeps a written address', async () => {
    const local = await call(app, 'containers.launch', { ...base, name: `mlenv-t-ports-${RUN}`, ports: ['0:80', '0.0.0.0:0:81', '0:82/udp'] });
    const raw = await d.getContainer(local.id).inspect();
    expect(raw.HostConfig.PortBindings).toEqual({
      '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }],
      '81/tcp': [{ HostIp: '0.0.0.0', HostPort: '' }],
      '82/udp': [{ HostIp: '127.0.0.1', HostPort: '' }],
    });
    expect(raw.NetworkSettings.Ports['80/tcp']!.map((b) => b.HostIp)).toEqual(['127.0.0.1']);
    expect(local.ports).toContainEqual(expect.objectContaining({ containerPort: 80, hostIp: '127.0.0.1' }));

    const open = await call(app, 'containers.launch', { ...base, name: `mlenv-t-ports-open-${RUN}`, ports: ['0:80'], exposePorts: true });
    const rawOpen = await d.getContainer(open.id).inspect();
    expect(rawOpen.HostConfig.PortBindings).toEqual({ '80/tcp': [{ HostIp: '', HostPort: '' }] });
    expect(rawOpen.NetworkSettings.Ports['80/tcp']!.map((b) => b.HostIp)).toContain('0.0.0.0');
    const [row] = await call(app, 'events.list', { type: 'container.launch', container: `mlenv-t-ports-open-${RUN}`, limit: 1 });
    expect(row!.details).toMatchObject({ exposePorts: true });
  });

  it('refuses the Docker socket, / and /etc as bind sources without allowDangerousMounts, and creates nothing', async () => {
    const cases: [string[], string][] = [
      [['/var/run/docker.sock:/var/run/docker.sock'], 'the bind mount /var/run/docker.sock:/var/run/docker.sock exposes a container engine’s API socket'],
      [['/:/host:ro'], 'the bind mount /:/host:ro exposes the host’s whole file system'],
      [['/etc:/host-etc'], 'the bind mount /etc:/host-etc exposes the host’s system configuration'],
    ];
    for (const [volumes, says] of cases) {
      const name = `mlenv-t-danger-${RUN}`;
      const err = await refusal(call(app, 'containers.launch', { ...base, name, volumes }));
      expect(err, volumes[0]).toBeInstanceOf(AppError);
      expect(err, volumes[0]).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining(says) });
      expect((err as AppError).message).toContain('allowDangerousMounts');
      expect(await d.listContainers({ all: true, filters: { name: [name] } })).toEqual([]);
    }
  });

  it('refuses a path that leads to the engine’s socket through a symlink (only the local engine can tell)', async () => {
    const link = path.join(dataDir, 'innocent');
    symlinkSync('/var/run/docker.sock', link);
    const name = `mlenv-t-danger-link-${RUN}`;
    const err = await refusal(call(app, 'containers.launch', { ...base, name, volumes: [`${link}:/x`] }));
    expect(err).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining(`the bind mount ${link}:/x exposes a container engine’s API socket`) });
    expect((err as AppError).message).toContain(`(${link} leads to `);
    expect(await d.listContainers({ all: true, filters: { name: [name] } })).toEqual([]);
    const [row] = await call(app, 'events.list', { type: 'container.launch', outcome: 'error', limit: 1 });
    expect(row).toMatchObject({ container: name, error: expect.stringContaining('exposes a container engine’s API socket') });
  });

  it('binds the Docker socket when allowDangerousMounts says so, and journals that it did', async () => {
    const name = `mlenv-t-danger-ok-${RUN}`;
    const c = await call(app, 'containers.launch', { ...base, name, volumes: ['/var/run/docker.sock:/var/run/docker.sock'], allowDangerousMounts: true });
    expect(c.state).toBe('running');
    expect((await d.getContainer(c.id).inspect()).HostConfig.Binds).toEqual(['/var/run/docker.sock:/var/run/docker.sock']);
    const [row] = await call(app, 'events.list', { type: 'container.launch', container: name, limit: 1 });
    expect(row).toMatchObject({ outcome: 'ok', details: expect.objectContaining({ dangerousMounts: ['/var/run/docker.sock:/var/run/docker.sock'] }) });
  });

  it('gives the container the real secret env values and keeps them masked in container_instances', async () => {
    const name = `mlenv-t-secrets-${RUN}`;
    const c = await call(app, 'containers.launch', { ...base, name, env: [`NGC_API_KEY=${KEY}`, `HF_TOKEN=${TOKEN}`, 'KEYBOARD=us', 'PASSTHROUGH=1'] });
    const env = (await d.getContainer(c.id).inspect()).Config.Env;
    expect(env).toEqual(expect.arrayContaining([`NGC_API_KEY=${KEY}`, `HF_TOKEN=${TOKEN}`, 'KEYBOARD=us', 'PASSTHROUGH=1']));
    expect(c.env).toEqual(expect.arrayContaining([`NGC_API_KEY=${MASKED_VALUE}`, `HF_TOKEN=${MASKED_VALUE}`, 'KEYBOARD=us', 'PASSTHROUGH=1']));

    const row = app.db.prepare('SELECT spec FROM container_instances WHERE id = ?').get(c.id) as { spec: string };
    expect(JSON.parse(row.spec).env).toEqual([
      { key: 'NGC_API_KEY', value: MASKED_VALUE },
      { key: 'HF_TOKEN', value: MASKED_VALUE },
      { key: 'KEYBOARD', value: 'us' },
      { key: 'PASSTHROUGH', value: '1' },
    ]);
    app.db.pragma('wal_checkpoint(TRUNCATE)');
    const file = readFileSync(path.join(dataDir, DB_FILE));
    expect(file.includes(KEY)).toBe(false);
    expect(file.includes(TOKEN)).toBe(false);
    expect(JSON.stringify(await call(app, 'events.list', { limit: 5000 }))).not.toContain('TOPSECRET');
  });
});
