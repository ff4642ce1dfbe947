// One-click launch: a catalog entry and what is known of the engine's host (its architecture and
// runtimes from the engine, GPUs and Jetson from the sampler, the project folder from the settings,
// the memlock the local dockerd can grant from /proc)
// → a plan (oneClickSpec + the docker run line), then the launch through the lifecycle gate, which
// pulls with progress when the image is missing. Remembers Customise… overrides per repository and
// the recent launches (store/launch-prefs.ts).
import { statSync } from 'node:fs';
import {
  ARCHITECTURES,
  RECENT_LAUNCHES,
  type Actor,
  type Architecture,
  type CatalogImage,
  type ContainerDetail,
  type LaunchOverrides,
  type LaunchPlan,
  type LaunchSettings,
  type MetricsSnapshot,
  type RecentLaunch,
} from '@shared/contract';
import { dockerRunLine } from '@shared/docker-run-line';
import { AppError } from '@shared/errors';
import { oneClickSpec, type HostFacts } from '@shared/one-click';
import { isSecretEnvName } from '@shared/secret-env';
import { formatBytes } from '@shared/units';
import type { Bus } from '../bus';
import { memlockMax, readEngineLimits } from '../docker/engine-limits';
import { LOCAL_ENGINE, type Engine } from '../docker/engine-registry';
import type { Lifecycle } from '../lifecycle/service';
import type { LaunchPrefsRepository } from '../store/launch-prefs';

/** What a plan or a launch is asked for (the catalog.plan / catalog.launch request). */
export interface LaunchTarget {
  repository: string;
  tag?: string;
  engine?: string;
  overrides?: LaunchOverrides;
  /** null: no project folder for this launch; undefined: the one in the settings. */
  projectDir?: string | null;
}

/** Node's process.arch → the OCI/Go architecture name Docker uses. */
const GO_ARCH: Partial<Record<NodeJS.Architecture, Architecture>> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x', ia32: '386', riscv64: 'riscv64' };

/**
 * The sampler's GPU source has answered since it started: GPUs listed, or a reason for none (no tool,
 * absent, restarting) rather than the initial "not started".
 */
export const gpusAnswered = (s: MetricsSnapshot | undefined): boolean =>
  s !== undefined && (s.gpuSource?.tool === 'none' || (s.gpus?.length ?? 0) > 0 || (s.gpuSource?.state !== 'running' && s.gpuSource?.error !== 'not started'));

/** GPUs nvidia-smi lists on this machine, from the sampler's snapshot; null while it has not answered or while it restarts (a gap, not "none"). */
export function localGpuCount(s: MetricsSnapshot | undefined): number | null {
  if (!gpusAnswered(s)) return null;
  if (s!.gpus?.length) return s!.gpus.length;
  return s!.gpuSource?.state === 'restarting' ? null : 0;
}

export interface CatalogLauncherOptions {
  /** The catalog entry of a repository (pullName after the mirror setting); throws NOT_FOUND for one it does not have. */
  catalog: { get(repository: string): CatalogImage | Promise<CatalogImage> };
  engines: { get(id?: string): Engine };
  images: { exists(engine: Engine, ref: string): Promise<boolean> };
  containers: { list(engine: Engine, all?: boolean): Promise<{ name: string }[]> };
  lifecycle: Pick<Lifecycle, 'launch'>;
  sampler: { latest(): MetricsSnapshot | undefined };
  settings: () => LaunchSettings;
  prefs: LaunchPrefsRepository;
  bus: Bus;
  /** ms since epoch (tests pass their own). */
  now?: () => number;
}

export function createCatalogLauncher(opts: CatalogLauncherOptions) {
  const now = opts.now ?? Date.now;

  /** The engine's architecture: what the engine reported, else (the local engine before its first answer) this process's. */
  function archOf(engine: Engine): Architecture {
    const reported = engine.monitor.get().arch ?? (engine.id === LOCAL_ENGINE ? GO_ARCH[process.arch] : undefined);
    if (reported === undefined) throw new AppError('ENGINE_UNAVAILABLE', `engine ${engine.name} has not told its architecture yet (it has not answered): try again once it is connected`);
    if (!(ARCHITECTURES as readonly string[]).includes(reported)) throw new AppError('UNSUPPORTED', `engine ${engine.name} runs on ${reported}, an architecture the catalog does not list`);
    return reported as Architecture;
  }

  /** The project folder for this launch: the request's (null: none), else the settings'; on the local engine it must be a folder that exists. */
  function projectDirFor(target: LaunchTarget, engine: Engine): string | null {
    const fromSettings = target.projectDir === undefined;
    const dir = fromSettings ? opts.settings().projectDir : target.projectDir!;
    if (dir === null || engine.id !== LOCAL_ENGINE) return dir; // another engine's host: only the engine can tell
    let isDir = false;
    try {
      isDir = statSync(dir).isDirectory();
    } catch {
      // missing or unreadable: said below
    }
    if (!isDir) {
      throw new AppError(
        'INVALID_INPUT',
        fromSettings
          ? `the project folder ${dir} (Settings → Launch) is not a folder on this machine any more: pick another there, or clear it`
          : `the project folder ${dir} is not a folder on this machine: give an existing folder`,
      );
    }
    return dir;
  }

  async function facts(target: LaunchTarget, engine: Engine): Promise<HostFacts> {
    const status = engine.monitor.get();
    const local = engine.id === LOCAL_ENGINE;
    const snapshot = local ? opts.sampler.latest() : undefined;
    const names = (await opts.containers.list(engine, true)).map((c) => c.name);
    return {
      arch: archOf(engine),
      gpuCount: local ? localGpuCount(snapshot) : null,
      jetson: local && (snapshot?.jetson ?? null) !== null,
      ...(status.runtimes ? { nvidiaRuntime: status.runtimes.includes('nvidia') } : {}),
      projectDir: projectDirFor(target, engine),
      containerNames: names,
      // The local engine's dockerd, read from /proc at each plan (a restart may change it); another engine's host cannot be read from here.
      memlockMax: local ? memlockMax(readEngineLimits(engine.socketPath)) : null,
    };
  }

  async function plan(target: LaunchTarget): Promise<LaunchPlan & { entry: CatalogImage; engineRef: Engine }> {
    const engine = opts.engines.get(target.engine);
    const entry = await opts.catalog.get(target.repository);
    const stored = target.overrides === undefined ? opts.prefs.prefs(entry.repository) : undefined;
    const overrides = target.overrides ?? stored ?? null;
    const host = await facts(target, engine);
    const made = oneClickSpec(entry, host, overrides ?? {}, target.tag);
    const spec = engine.id === LOCAL_ENGINE ? made.spec : { ...made.spec, engine: engine.id };
    const input = engine.id === LOCAL_ENGINE ? made.input : { ...made.input, engine: engine.id };
    const pulled = await opts.images.exists(engine, spec.image);
    const notes = [...made.notes];
    if (stored) notes.push(`These choices were remembered from your last Customise… launch of ${entry.repository}.`);
    const v = entry.versions.find((x) => x.tag === made.tag);
    // The download of the engine's architecture (its manifest's size), else the tag's size as the catalog lists it.
    const pullBytes = pulled ? null : (v?.variants.find((x) => x.architecture === host.arch)?.compressedSize ?? v?.compressedSize ?? null);
    if (!pulled) notes.push(`${spec.image} is not on engine ${engine.name} yet: Launch pulls it first${pullBytes !== null ? ` (${v?.sizeEstimated ? 'about ' : ''}${formatBytes(pullBytes)} to download)` : ''}.`);
    return {
      repository: entry.repository,
      tag: made.tag,
      image: spec.image,
      engine: engine.id,
      input,
      spec,
      dockerRun: dockerRunLine(spec, { secretEnv: 'from-environment' }),
      notes,
      pulled,
      pullBytes,
      overrides,
      remembered: stored !== undefined,
      entry,
      engineRef: engine,
    };
  }

  const recent = (): RecentLaunch[] => opts.prefs.recent(RECENT_LAUNCHES);

  return {
    /** What launch(target) would do now. Errors: NOT_FOUND (repository), INVALID_INPUT (tag, architecture, project folder, overrides), ENGINE_UNAVAILABLE. */
    async plan(target: LaunchTarget): Promise<LaunchPlan> {
      const { entry: _entry, engineRef: _engine, ...p } = await plan(target);
      return p;
    },

    /**
     * Plans, then launches through the lifecycle gate as `actor` (pulling the image with progress when
     * it is missing), records the launch among the recent ones (`catalog.recent` event) and, with
     * `remember`, keeps the request's overrides for the repository — without the container name (the
     * next launch takes the next free one) and without env entries whose names look secret, which never
     * go into the database. Returns the container as inspected after its start. The gate's admission
     * is told what the plan found of the pull (the image present, or its download size), so that its
     * disk check counts the pull.
     */
    async launch(target: LaunchTarget, actor: Actor, remember = false): Promise<ContainerDetail> {
      const p = await plan(target);
      const d = await opts.lifecycle.launch(p.engineRef, p.spec, actor, { pull: { imagePresent: p.pulled, pullBytes: p.pullBytes } });
      const at = now();
      if (remember && target.overrides) {
        const { env, name: _name, ...rest } = target.overrides;
        const kept = env?.filter((e) => !isSecretEnvName(e.slice(0, Math.max(0, e.indexOf('=')))));
        opts.prefs.savePrefs(p.repository, { ...rest, ...(kept?.length ? { env: kept } : {}) }, at);
      }
      opts.prefs.recordLaunch({ repository: p.repository, tag: p.tag, displayName: p.entry.displayName, engine: p.engine, containerId: d.id, containerName: d.name, launchedAt: at });
      opts.bus.emit('catalog.recent', recent());
      return d;
    },

    /** The most recent launches from the catalog, newest first (at most RECENT_LAUNCHES). */
    recent,

    /** Forgets the overrides remembered for `repository`. */
    forget: (repository: string): { removed: boolean } => ({ removed: opts.prefs.removePrefs(repository) }),
  };
}
export type CatalogLauncher = ReturnType<typeof createCatalogLauncher>;
