// The running (and paused) managed containers of each engine, with what each was given (memory and
// CPU limits, GPUs), kept in memory so that a decision reads them without awaiting: refreshed from the
// engine at start, after every container change on the bus, and on each audit pass. The engine's
// DockerRootDir (for the disk check) and default runtime (for NVIDIA_VISIBLE_DEVICES) come with the
// first refresh.
import type Docker from 'dockerode';
import { containerHandle } from '../docker/container-handle';
import { LABEL_MANAGED, LABEL_PROJECT } from '@shared/labels';
import type { Engine } from '../docker/engine-registry';
import { log } from '../log';
import type { RunningContainer, RunningFacts } from './facts';
import { containerGpuClaim } from './gpu-claims';

interface EngineState {
  asOf: number | null;
  containers: RunningContainer[];
  dockerRoot: string | null;
  defaultRuntime: string | null;
  /** What each container was given, by id: a container's limits do not change while it runs (`docker update` aside: its update event drops the entry, see `changed`). */
  given: Map<string, Omit<RunningContainer, 'state'>>;
  refreshing: Promise<void> | null;
  /** A change arrived during a refresh: run another after it. */
  again: boolean;
}

/** Inspect data → what a container was given. */
export function givenFromInspect(info: Docker.ContainerInspectInfo, defaultRuntime: string | null): Omit<RunningContainer, 'state'> {
  const hc = info.HostConfig as Docker.HostConfig & { DeviceRequests?: { Driver: string; Count: number; DeviceIDs: string[] | null; Capabilities: string[][] | null; Options: Record<string, string> | null }[] | null };
  return {
    id: info.Id,
    name: info.Name.replace(/^\//, ''),
    project: info.Config.Labels?.[LABEL_PROJECT] ?? null,
    memoryLimit: hc.Memory || null,
    cpus: hc.NanoCpus ? hc.NanoCpus / 1e9 : null,
    gpus: containerGpuClaim({
      deviceRequests: (hc.DeviceRequests ?? []).map((r) => ({ Driver: r.Driver ?? '', Count: r.Count ?? 0, DeviceIDs: r.DeviceIDs ?? null, Capabilities: r.Capabilities ?? [], Options: r.Options ?? {} })),
      env: info.Config.Env,
      runtime: hc.Runtime ?? null,
      defaultRuntime,
    }),
  };
}

export function createRunningList(opts: { now?: () => number } = {}) {
  const now = opts.now ?? Date.now;
  const engines = new Map<string, EngineState>();
  const state = (id: string): EngineState => {
    let s = engines.get(id);
    if (!s) engines.set(id, (s = { asOf: null, containers: [], dockerRoot: null, defaultRuntime: null, given: new Map(), refreshing: null, again: false }));
    return s;
  };

  async function load(engine: Engine, s: EngineState, full: boolean): Promise<void> {
    if (s.dockerRoot === null) {
      const info = (await engine.docker.info()) as { DockerRootDir?: string; DefaultRuntime?: string };
      s.dockerRoot = info.DockerRootDir ?? null;
      s.defaultRuntime = info.DefaultRuntime ?? null;
    }
    const asOf = now();
    const list = await engine.docker.listContainers({ filters: { label: [`${LABEL_MANAGED}=true`], status: ['running', 'paused'] } });
    const given = new Map<string, Omit<RunningContainer, 'state'>>();
    await Promise.all(
      list.map(async (c) => {
        const known = full ? undefined : s.given.get(c.Id);
        if (known) return void given.set(c.Id, known);
        try {
          given.set(c.Id, givenFromInspect(await containerHandle(engine, c.Id).inspect(), s.defaultRuntime));
        } catch {
          // removed between the list and the inspect: it holds nothing
        }
      }),
    );
    s.given = given;
    s.containers = list.flatMap((c) => {
      const g = given.get(c.Id);
      return g ? [{ ...g, state: c.State === 'paused' ? ('paused' as const) : ('running' as const) }] : [];
    });
    s.asOf = asOf;
  }

  /** Refreshes `engine`'s list (one at a time; a change during a refresh runs one more). Never rejects: a failure keeps the last list. */
  function refresh(engine: Engine, full = false): Promise<void> {
    const s = state(engine.id);
    if (s.refreshing) {
      s.again = true;
      return s.refreshing;
    }
    s.refreshing = (async () => {
      try {
        do {
          s.again = false;
          try {
            await load(engine, s, full);
          } catch (e) {
            log.debug('admission: the running list could not be refreshed', { engine: engine.name, message: (e as Error).message });
          }
        } while (s.again);
      } finally {
        s.refreshing = null;
      }
    })();
    return s.refreshing;
  }

  return {
    refresh,
    /** Container `id` of `engineId` may have been given something else (`docker update`): the next refresh inspects it again. */
    changed(engineId: string, id: string): void {
      engines.get(engineId)?.given.delete(id);
    },
    /** The list as last refreshed (asOf null before the first answer). */
    get(engineId: string): RunningFacts {
      const s = engines.get(engineId);
      if (!s || s.asOf === null) return { asOf: null, containers: [], unknownWhy: 'the engine has not listed its containers yet' };
      return { asOf: s.asOf, containers: s.containers, unknownWhy: null };
    },
    dockerRoot: (engineId: string): string | null => engines.get(engineId)?.dockerRoot ?? null,
    defaultRuntime: (engineId: string): string | null => engines.get(engineId)?.defaultRuntime ?? null,
    /** True until the first refresh of `engineId` has answered. */
    cold: (engineId: string): boolean => (engines.get(engineId)?.asOf ?? null) === null,
    forget(engineId: string): void {
      engines.delete(engineId);
    },
  };
}
export type RunningList = ReturnType<typeof createRunningList>;
