// Containers on any engine: inspect, list, stop, pause, remove. Ours carry io.mlenv.* labels; others
// are listed read-only. What makes a container run (create, start, unpause, restart) is the lifecycle
// gate's (core/lifecycle); this module gets containers only as ContainerHandles, which cannot.
// Every operation is an `events` row, success or failure, with the engine's own message.
import type Docker from 'dockerode';
import type { Actor, ContainerDetail, ContainerSummary, LaunchSpec } from '@shared/contract';
import { AppError } from '@shared/errors';
import { isSecretEnvName, MASKED_VALUE } from '@shared/secret-env';
import type { Bus } from '../bus';
import type { ContainerRepository } from '../store/containers';
import type { EventLog } from '../store/events';
import { containerHandle } from './container-handle';
import { LABEL_MANAGED } from '@shared/labels';
import type { Engine } from './engine-registry';
import { toAppError } from './errors';
import { findJupyter } from './jupyter';
import { tailLogs } from './logs';
import { detailFromInspect, summaryFromList } from './container-to-contract';

/** What this module does to a container; creating and running it are the lifecycle gate's. */
export type Op = 'stop' | 'pause';

/**
 * The launch spec as container_instances keeps it: each env value whose name looks secret
 * (isSecretEnvName) replaced by MASKED_VALUE. Nothing relaunches from the stored spec today; one
 * that does must ask for those values again or read them from the SecretStore.
 */
export function specAtRest(spec: LaunchSpec): LaunchSpec {
  return spec.env ? { ...spec, env: spec.env.map((e) => (isSecretEnvName(e.key) ? { key: e.key, value: MASKED_VALUE } : e)) } : spec;
}

export function createContainers(opts: { instances: ContainerRepository; bus: Bus; events: EventLog }) {
  const { events, bus, instances } = opts;

  /** Adds to `d` what the engine cannot tell and container_instances keeps: how MLEnv launched it, and what the user last asked for. */
  function withKept(d: ContainerDetail): ContainerDetail {
    const kept = instances.get(d.id);
    if (kept?.spec) d.launchSpec = kept.spec;
    else delete d.launchSpec;
    if (kept?.desiredState) d.desiredState = kept.desiredState;
    else delete d.desiredState;
    return d;
  }

  /**
   * The container `id` (an id, id prefix or name) as the engine tells it, with what container_instances
   * keeps. `jupyter` also reads its last 300 log lines for Jupyter's link (jupyter.ts): only the
   * contract's containers.inspect asks (the detail page shows the link); the gate, the tier moves and
   * admission read the state alone, so an unpause costs no log read. NOT_FOUND when there is none.
   */
  async function inspect(engine: Engine, id: string, opts: { jupyter?: boolean } = {}): Promise<ContainerDetail> {
    let info: Docker.ContainerInspectInfo;
    try {
      info = await containerHandle(engine, id).inspect();
    } catch (e) {
      if ((e as { statusCode?: number }).statusCode === 404) throw new AppError('NOT_FOUND', `no container "${id}" on engine ${engine.name}`);
      throw toAppError(e, `inspect container ${id}`, engine.name);
    }
    const d = detailFromInspect(info, engine.id);
    withKept(d);
    if (opts.jupyter && d.managed && d.state === 'running' && d.ports.some((p) => p.hostPort)) {
      const lines = await tailLogs(containerHandle(engine, info.Id), info.Config.Tty, 300, false).catch(() => []);
      d.jupyter = findJupyter(lines, d.ports);
    }
    return d;
  }

  /** Resolves an id, id prefix or name to a managed container; UNSUPPORTED for containers we did not create, NOT_FOUND for none. */
  async function managed(engine: Engine, id: string, doing: string): Promise<ContainerDetail> {
    const d = await inspect(engine, id);
    if (!d.managed) {
      throw new AppError('UNSUPPORTED', `${doing}: container ${d.name} was not created by MLEnv (no ${LABEL_MANAGED} label); it is shown read-only`);
    }
    return d;
  }

  /** One journal row about container `d`: ok, or an error with its message; `actor` who asked (default 'user'). */
  const record = (type: string, d: Partial<Pick<ContainerSummary, 'id' | 'name' | 'image' | 'ports'>>, engine: Engine, extra: { error?: string; details?: unknown; actor?: Actor } = {}) =>
    events.record({
      type,
      containerId: d.id,
      container: d.name,
      image: d.image,
      engine: engine.id,
      engineName: engine.name,
      ports: d.ports?.length ? d.ports : undefined,
      actor: extra.actor ?? 'user',
      outcome: extra.error ? 'error' : 'ok',
      error: extra.error,
      details: extra.details,
    });

  return {
    inspect,
    managed,
    record,

    /**
     * Keeps what the app knows of a container it just launched (with `spec`, kept without secret
     * values: specAtRest) or started, restarted or unpaused (container_instances): its ports, and
     * running as the state the user asked for (stopped for a launch that did not start it). `d` is
     * brought up to date with it (launchSpec, desiredState).
     */
    remember(engine: Engine, d: ContainerDetail, spec?: LaunchSpec): void {
      const row = { id: d.id, engine: engine.id, name: d.name, image: d.image, ports: d.ports, createdAt: d.created || Date.now() };
      if (spec) instances.recordLaunch({ ...row, project: spec.project, spec: specAtRest(spec), desiredState: spec.start ? 'running' : 'stopped' });
      else instances.recordStart({ ...row, project: d.project ?? 'default' });
      withKept(d); // the detail the caller returns says so too
    },

    async list(engine: Engine, all = true): Promise<ContainerSummary[]> {
      try {
        const list = await engine.docker.listContainers({ all });
        return list.map((c) => summaryFromList(c, engine.id)).sort((a, b) => Number(b.managed) - Number(a.managed) || b.created - a.created);
      } catch (e) {
        throw toAppError(e, 'list containers', engine.name);
      }
    },

    async operate(engine: Engine, id: string, op: Op, timeoutSeconds?: number, actor: Actor = 'user'): Promise<ContainerDetail> {
      const before = await managed(engine, id, `${op} ${id}`);
      const c = containerHandle(engine, before.id);
      try {
        if (op === 'stop') await c.stop(timeoutSeconds !== undefined ? { t: timeoutSeconds } : {});
        else await c.pause();
      } catch (e) {
        const err = toAppError(e, `${op} ${before.name}`, engine.name);
        record(`container.${op}`, before, engine, { error: err.message, actor });
        throw err;
      }
      instances.setDesiredState(before.id, op === 'stop' ? 'stopped' : 'paused');
      const d = await inspect(engine, before.id);
      record(`container.${op}`, d, engine, { actor });
      bus.emit('containers.changed', { engine: engine.id, id: d.id, name: d.name, action: op });
      return d;
    },

    async remove(engine: Engine, id: string, force: boolean, actor: Actor = 'user'): Promise<{ id: string; removed: true }> {
      const d = await managed(engine, id, `remove ${id}`);
      if ((d.state === 'running' || d.state === 'paused' || d.state === 'restarting') && !force) {
        const err = new AppError('CONFLICT', `container ${d.name} is ${d.state}: stop it first, or remove it with force`);
        record('container.remove', d, engine, { error: err.message, actor });
        throw err;
      }
      try {
        await containerHandle(engine, d.id).remove({ force });
      } catch (e) {
        const err = toAppError(e, `remove ${d.name}`, engine.name);
        record('container.remove', d, engine, { error: err.message, actor });
        throw err;
      }
      instances.markRemoved(d.id, Date.now());
      record('container.remove', d, engine, { details: { force }, actor });
      bus.emit('containers.changed', { engine: engine.id, id: d.id, name: d.name, action: 'remove' });
      return { id: d.id, removed: true };
    },
  };
}
export type Containers = ReturnType<typeof createContainers>;
