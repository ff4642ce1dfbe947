// Container lifecycle on any engine. Ours carry io.mlenv.* labels; others are listed read-only.
// Every operation is an `events` row, success or failure, with the engine's own message.
import type Docker from 'dockerode';
import { existsSync } from 'node:fs';
import type { ContainerDetail, ContainerSummary, LaunchSpec } from '@shared/contract';
import { AppError } from '@shared/errors';
import type { Bus } from '../bus';
import type { Db } from '../store/db';
import type { EventLog } from '../store/events';
import { buildCreateOptions, LABEL_MANAGED } from './create-options';
import { LOCAL_ENGINE, type Engine } from './engines';
import { toAppError } from './errors';
import type { Images } from './images';
import { findJupyter } from './jupyter';
import { tailLogs } from './logs';
import { detailFromInspect, summaryFromList } from './map';

export type Op = 'start' | 'stop' | 'restart' | 'pause' | 'unpause';

export function createContainers(opts: { db: Db; bus: Bus; events: EventLog; images: Images }) {
  const { events, bus } = opts;
  const upsertInstance = opts.db.prepare(
    `INSERT INTO container_instances (id, engine, name, image, project, spec, ports, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET ports = excluded.ports`,
  );

  async function inspect(engine: Engine, id: string): Promise<ContainerDetail> {
    let info: Docker.ContainerInspectInfo;
    try {
      info = await engine.docker.getContainer(id).inspect();
    } catch (e) {
      if ((e as { statusCode?: number }).statusCode === 404) throw new AppError('NOT_FOUND', `no container "${id}" on engine ${engine.name}`);
      throw toAppError(e, `inspect container ${id}`, engine.name);
    }
    const d = detailFromInspect(info, engine.id);
    if (d.managed && d.state === 'running' && d.ports.some((p) => p.hostPort)) {
      const lines = await tailLogs(engine.docker.getContainer(info.Id), info.Config.Tty, 300, false).catch(() => []);
      d.jupyter = findJupyter(lines, d.ports);
    }
    return d;
  }

  /** Resolves an id, id prefix or name to a managed container, refusing containers we did not create. */
  async function managed(engine: Engine, id: string, doing: string): Promise<ContainerDetail> {
    const d = await inspect(engine, id);
    if (!d.managed) {
      throw new AppError('UNSUPPORTED', `${doing}: container ${d.name} was not created by MLEnv (no ${LABEL_MANAGED} label); it is shown read-only`);
    }
    return d;
  }

  const record = (type: string, d: Pick<ContainerSummary, 'id' | 'name' | 'image' | 'ports'>, engine: Engine, extra: { error?: string; details?: unknown; actor?: 'app' | 'user' } = {}) =>
    events.record({
      type,
      containerId: d.id,
      container: d.name,
      image: d.image,
      engine: engine.name,
      ports: d.ports.length ? d.ports : undefined,
      actor: extra.actor ?? 'user',
      outcome: extra.error ? 'error' : 'ok',
      error: extra.error,
      details: extra.details,
    });

  return {
    inspect,

    async list(engine: Engine, all = true): Promise<ContainerSummary[]> {
      try {
        const list = await engine.docker.listContainers({ all });
        return list.map((c) => summaryFromList(c, engine.id)).sort((a, b) => Number(b.managed) - Number(a.managed) || b.created - a.created);
      } catch (e) {
        throw toAppError(e, 'list containers', engine.name);
      }
    },

    async launch(engine: Engine, spec: LaunchSpec): Promise<ContainerDetail> {
      const label = spec.name ?? spec.image;
      const fail = (e: unknown, doing: string, id?: string): never => {
        const err = toAppError(e, doing, engine.name);
        events.record({ type: 'container.launch', containerId: id, container: spec.name, image: spec.image, engine: engine.name, actor: 'user', outcome: 'error', error: err.message });
        throw err;
      };
      // Checks the engine cannot do for us before anything reaches it.
      if (engine.id === LOCAL_ENGINE) {
        for (const v of spec.volumes ?? []) {
          // Docker Desktop on Windows reads a /… source as a path in its Linux VM (/var/run/docker.sock): not ours to check.
          if (v.type === 'bind' && !(process.platform === 'win32' && v.source.startsWith('/')) && !existsSync(v.source)) {
            fail(new AppError('INVALID_INPUT', `volume ${v.source}:${v.target}: the host folder ${v.source} does not exist; create it or pick an existing folder`), `launch ${label}`);
          }
        }
      }
      const present = await opts.images.exists(engine, spec.image).catch((e: unknown) => fail(e, `launch ${label}`));
      if (spec.pull === 'always' || (!present && spec.pull === 'missing')) await opts.images.pull(engine, spec.image).catch((e: unknown) => fail(e, `launch ${label}`));
      else if (!present) fail(new AppError('NOT_FOUND', `image ${spec.image} is not on engine ${engine.name} and pull is "never"`), `launch ${label}`);

      const createOpts = buildCreateOptions(spec);
      let container: Docker.Container;
      try {
        container = await engine.docker.createContainer(createOpts);
      } catch (e) {
        return fail(e, `create ${label}`);
      }
      if (spec.start) {
        try {
          await container.start();
        } catch (e) {
          // A container that could not start (port taken, bad runtime) would only hold its name: remove it.
          await container.remove({ force: true }).catch(() => undefined);
          return fail(e, `start ${label}`, container.id);
        }
      }
      const d = await inspect(engine, container.id);
      upsertInstance.run(d.id, engine.id, d.name, d.image, spec.project, JSON.stringify(spec), JSON.stringify(d.ports), d.created || Date.now());
      record('container.launch', d, engine, { details: { state: d.state, nanoCpus: d.nanoCpus, memory: d.memory, gpus: d.gpus } });
      bus.emit('containers.changed', { engine: engine.id, id: d.id, name: d.name, action: 'launch' });
      return d;
    },

    async operate(engine: Engine, id: string, op: Op, timeoutSeconds?: number): Promise<ContainerDetail> {
      const before = await managed(engine, id, `${op} ${id}`);
      const c = engine.docker.getContainer(before.id);
      try {
        if (op === 'stop') await c.stop(timeoutSeconds !== undefined ? { t: timeoutSeconds } : {});
        else if (op === 'restart') await c.restart(timeoutSeconds !== undefined ? { t: timeoutSeconds } : {});
        else await c[op]();
      } catch (e) {
        const err = toAppError(e, `${op} ${before.name}`, engine.name);
        record(`container.${op}`, before, engine, { error: err.message });
        throw err;
      }
      const d = await inspect(engine, before.id);
      if (op === 'start' || op === 'restart') upsertInstance.run(d.id, engine.id, d.name, d.image, d.project ?? 'default', '{}', JSON.stringify(d.ports), d.created);
      record(`container.${op}`, d, engine);
      bus.emit('containers.changed', { engine: engine.id, id: d.id, name: d.name, action: op });
      return d;
    },

    async remove(engine: Engine, id: string, force: boolean): Promise<{ id: string; removed: true }> {
      const d = await managed(engine, id, `remove ${id}`);
      if ((d.state === 'running' || d.state === 'paused' || d.state === 'restarting') && !force) {
        const err = new AppError('CONFLICT', `container ${d.name} is ${d.state}: stop it first, or remove it with force`);
        record('container.remove', d, engine, { error: err.message });
        throw err;
      }
      try {
        await engine.docker.getContainer(d.id).remove({ force });
      } catch (e) {
        const err = toAppError(e, `remove ${d.name}`, engine.name);
        record('container.remove', d, engine, { error: err.message });
        throw err;
      }
      opts.db.prepare('UPDATE container_instances SET removed_at = ? WHERE id = ?').run(Date.now(), d.id);
      record('container.remove', d, engine, { details: { force } });
      bus.emit('containers.changed', { engine: engine.id, id: d.id, name: d.name, action: 'remove' });
      return { id: d.id, removed: true };
    },
  };
}
export type Containers = ReturnType<typeof createContainers>;
