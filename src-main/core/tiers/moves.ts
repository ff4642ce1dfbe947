// One tier move of one model's container, and putting it back when the move fails. Whatever makes
// a container use more (launch, start, unpause) goes through the lifecycle gate and so through
// admission; pause and stop use the containers service. Every move ends by verifying, from the
// container's own cgroup figures, that memory really moved (verify.ts).
//
// Into swap (cgroup v2 only; swap.ts says why not v1): the container is paused first, then its
// memory is pushed out through memory.reclaim. Freezing first, not reclaiming while it runs: a
// running server touches its pages and faults them straight back in while the kernel pushes them
// out, so the reclaim would work against it and the figures read afterwards would not show where its
// memory stays; reclaim takes a cgroup's pages off its LRU lists whether its tasks are frozen or not.
// Out of swap is a thaw through the gate, as from warm: the pages come back as the server touches them.
import type { ContainerDetail, LaunchSpec, ModelSpec, Tier } from '@shared/contract';
import { AppError, isAppError, type ErrorCode } from '@shared/errors';
import type { Containers } from '../docker/containers';
import type { Engine } from '../docker/engine-registry';
import type { Lifecycle } from '../lifecycle/service';
import { waitReady } from './readiness';
import { verifySwap, verifyTier, type CgroupMemory, type CgroupView } from './verify';

export interface MoveDeps {
  engine(): Engine;
  lifecycle: Pick<Lifecycle, 'launch' | 'operate'>;
  containers: Pick<Containers, 'operate' | 'inspect'>;
  cgroups: CgroupView;
  /** The container's last log lines, for a sentence about a server that died while loading. */
  tailLogs?(containerId: string): Promise<string[]>;
  /** Seconds a stop waits for the server to exit before it is killed. */
  stopTimeoutSeconds: number;
  clock?: () => number;
}

/** The model being moved. */
export interface MoveSubject {
  name: string;
  spec: ModelSpec;
  launch: LaunchSpec;
  /** Its container, when one exists. */
  containerId: string | null;
}

export interface MoveResult {
  containerId: string | null;
  /** The 127.0.0.1 port its server is published on (null once stopped). */
  hostPort: number | null;
  before: CgroupMemory | null;
  after: CgroupMemory | null;
  /** What verification saw, in words. */
  verification: string;
}

/** A move that did not complete; `acted` says whether the container was changed before it failed. */
export class MoveFailure extends Error {
  constructor(
    message: string,
    readonly code: ErrorCode,
    readonly acted: boolean,
    readonly containerId: string | null,
    readonly before: CgroupMemory | null,
  ) {
    super(message);
  }
}

const ACTOR = 'tier-manager' as const;

/** The host port `d` publishes its model's `port` on, or null. */
export function hostPortOf(d: Pick<ContainerDetail, 'ports'>, port: number): number | null {
  return d.ports.find((p) => p.containerPort === port && p.protocol === 'tcp' && p.hostPort)?.hostPort ?? null;
}

/**
 * Moves `subject` from `from` to `to` and verifies it. `onVerifying` is called once the container
 * operation is done and verification starts. Moves into swap need cgroup v2 memory.reclaim (the
 * tier manager offers swap only where swap.ts says the host can; the container's own cgroup is
 * checked again here, before it is touched). Throws MoveFailure.
 */
export async function runMove(deps: MoveDeps, subject: MoveSubject, from: Tier, to: Tier, onVerifying: () => void): Promise<MoveResult> {
  const clock = deps.clock ?? Date.now;
  const engine = deps.engine();
  let containerId = subject.containerId;
  let acted = false;
  let before: CgroupMemory | null = null;
  const fail = (e: unknown): never => {
    if (e instanceof MoveFailure) throw e;
    const code: ErrorCode = isAppError(e) ? e.code : 'INTERNAL';
    // Admission refuses before the gate touches the container: nothing to put back.
    throw new MoveFailure((e as Error)?.message ?? String(e), code, acted && code !== 'ADMISSION_REJECTED', containerId, before);
  };
  try {
    before = containerId ? await deps.cgroups.read(containerId) : null;
    let d: ContainerDetail;
    let after: CgroupMemory | null;

    if (to === 'cold') {
      if (!containerId) throw new AppError('CONFLICT', `${subject.name} has no container: it is cold already`);
      acted = true;
      d = await deps.containers.operate(engine, containerId, 'stop', deps.stopTimeoutSeconds, ACTOR);
      onVerifying();
      if (d.state === 'running' || d.state === 'paused' || d.state === 'restarting') throw new AppError('INTERNAL', `the container is ${d.state} after the stop`);
      after = await deps.cgroups.read(d.id);
      return verdict(verifyTier('cold', before, after), d.id, null, before, after);
    }

    if (to === 'swap') {
      if (from === 'swap') throw new AppError('CONFLICT', `${subject.name} is in swap already`);
      let hostPort: number | null;
      if (from === 'cold') {
        // Loaded first (through the gate), answering, then pushed out.
        acted = true;
        d = await bringUp(deps, engine, subject, containerId);
        containerId = d.id;
        hostPort = portOf(d);
        await ready(deps, subject, d.id, hostPort, clock);
      } else {
        if (!containerId) throw new AppError('CONFLICT', `${subject.name} has no container`);
        d = await deps.containers.inspect(engine, containerId);
        hostPort = hostPortOf(d, subject.spec.port);
      }
      const refusal = await deps.cgroups.swapRefusal(d.id);
      if (refusal) throw new AppError('UNSUPPORTED', refusal);
      if (d.state === 'running') {
        acted = true;
        d = await deps.containers.operate(engine, d.id, 'pause', undefined, ACTOR);
      } else if (d.state !== 'paused') throw new AppError('CONFLICT', `the container of ${subject.name} is ${d.state}: only a running or paused one can be pushed to swap`);
      const paused = await deps.cgroups.read(d.id);
      acted = true;
      await deps.cgroups.pushToSwap(d.id);
      onVerifying();
      after = await deps.cgroups.read(d.id);
      return verdict(verifySwap(paused, after), d.id, hostPort, before, after);
    }

    if (from === 'hot') {
      if (to === 'hot') throw new AppError('CONFLICT', `${subject.name} is hot already`);
      // hot → warm: the freezer keeps its memory.
      acted = true;
      d = await deps.containers.operate(engine, containerId!, 'pause', undefined, ACTOR);
      onVerifying();
      after = await deps.cgroups.read(d.id);
      return verdict(verifyTier('warm', before, after), d.id, hostPortOf(d, subject.spec.port), before, after);
    }
    if (from === 'cold') {
      // cold → hot or warm: start (or launch) it; warm waits for its server, then freezes it.
      acted = true;
      d = await bringUp(deps, engine, subject, containerId);
      containerId = d.id;
      if (to === 'warm') {
        await ready(deps, subject, d.id, portOf(d), clock);
        const loaded = await deps.cgroups.read(d.id);
        d = await deps.containers.operate(engine, d.id, 'pause', undefined, ACTOR);
        onVerifying();
        after = await deps.cgroups.read(d.id);
        return verdict(verifyTier('warm', loaded, after), d.id, portOf(d), before, after);
      }
    } else {
      // warm or swap → hot: thaw it.
      if (to === 'warm') throw new AppError('CONFLICT', `${subject.name} is ${from}: move it to hot or cold`);
      acted = true;
      d = await deps.lifecycle.operate(engine, containerId!, 'unpause', ACTOR);
      onVerifying();
      const hostPort = portOf(d);
      after = await deps.cgroups.read(d.id);
      // A thaw resumes the server where the freezer stopped it, and a model is paused only once its
      // probe has answered (hot → warm, or cold → warm, which probes first): the freezer THAWED with
      // the memory kept is the proof, and a thaw that did not happen (still FROZEN) fails the move.
      // Only where the freezer cannot be read does a new probe stand in for it.
      if (after?.freezer === undefined) {
        await ready(deps, subject, d.id, hostPort, clock);
        after = await deps.cgroups.read(d.id);
      }
      return verdict(verifyTier('hot', before, after, from), d.id, hostPort, before, after);
    }
    // cold → hot: running and answering, so the probe is part of verification.
    onVerifying();
    const hostPort = portOf(d);
    await ready(deps, subject, d.id, hostPort, clock);
    after = await deps.cgroups.read(d.id);
    return verdict(verifyTier('hot', null, after, from), d.id, hostPort, before, after);
  } catch (e) {
    return fail(e);
  }

  function portOf(x: ContainerDetail): number {
    const p = hostPortOf(x, subject.spec.port);
    if (p === null) throw new AppError('INTERNAL', `the container publishes no host port for port ${subject.spec.port}`);
    return p;
  }

  function verdict(v: ReturnType<typeof verifyTier>, id: string, hostPort: number | null, b: CgroupMemory | null, a: CgroupMemory | null): MoveResult {
    containerId = id;
    if (!v.ok) throw new AppError('INTERNAL', `verification failed: ${v.text}`);
    return { containerId: id, hostPort, before: b, after: a, verification: v.text };
  }
}

/** Runs the model's container: starts the one it has, or launches a new one (through the gate). */
async function bringUp(deps: MoveDeps, engine: Engine, subject: MoveSubject, containerId: string | null): Promise<ContainerDetail> {
  if (containerId) {
    let state: string | undefined;
    try {
      state = (await deps.containers.inspect(engine, containerId)).state;
    } catch (e) {
      if (!(isAppError(e) && e.code === 'NOT_FOUND')) throw e;
    }
    if (state === 'running') return deps.containers.inspect(engine, containerId);
    if (state === 'paused') return deps.lifecycle.operate(engine, containerId, 'unpause', ACTOR);
    if (state !== undefined) return deps.lifecycle.operate(engine, containerId, 'start', ACTOR);
  }
  return deps.lifecycle.launch(engine, subject.launch, ACTOR);
}

/** Waits for the model's readiness probe until its readyTimeoutMs; a container that exits meanwhile fails at once, with its last log lines. */
async function ready(deps: MoveDeps, subject: MoveSubject, id: string, hostPort: number, clock: () => number): Promise<void> {
  const engine = deps.engine();
  try {
    await waitReady({
      probe: subject.spec.probe,
      hostPort,
      deadline: clock() + subject.spec.readyTimeoutMs,
      clock,
      stillAlive: async () => {
        const d = await deps.containers.inspect(engine, id).catch(() => null);
        if (!d) return 'its container is gone';
        if (d.state === 'running' || d.state === 'paused') return null;
        const tail = deps.tailLogs ? (await deps.tailLogs(id).catch(() => [])).slice(-3).join(' | ') : '';
        return `its container ${d.state === 'exited' ? `exited with code ${d.exitCode ?? '?'}` : `is ${d.state}`} before it was ready${tail ? ` (last output: ${tail})` : ''}`;
      },
    });
  } catch (e) {
    throw new AppError('CONFLICT', `${subject.name} did not become ready: ${(e as Error).message}`);
  }
}

/**
 * Puts the container back at `tier` after a failed move, as far as can be done: stopped for cold,
 * paused for warm (only when it still runs: a stopped container's memory is gone), running and
 * answering for hot. Returns the tier it is at afterwards, read from the engine; throws when that
 * cannot be read.
 */
export async function restore(deps: MoveDeps, subject: MoveSubject, containerId: string | null, tier: Tier): Promise<Tier> {
  const engine = deps.engine();
  if (!containerId) return 'cold';
  let d: ContainerDetail;
  try {
    d = await deps.containers.inspect(engine, containerId);
  } catch (e) {
    if (isAppError(e) && e.code === 'NOT_FOUND') return 'cold';
    throw e;
  }
  const observed = (x: ContainerDetail): Tier => (x.state === 'running' ? 'hot' : x.state === 'paused' ? (tier === 'swap' ? 'swap' : 'warm') : 'cold');
  if (observed(d) === tier) return tier;
  if (tier === 'cold') d = await deps.containers.operate(engine, d.id, 'stop', deps.stopTimeoutSeconds, ACTOR);
  else if ((tier === 'warm' || tier === 'swap') && d.state === 'running') d = await deps.containers.operate(engine, d.id, 'pause', undefined, ACTOR);
  else if (tier === 'hot' && d.state === 'paused') d = await deps.lifecycle.operate(engine, d.id, 'unpause', ACTOR);
  else if (tier === 'hot' && d.state !== 'running') {
    d = await deps.lifecycle.operate(engine, d.id, 'start', ACTOR);
    const hostPort = hostPortOf(d, subject.spec.port);
    if (hostPort !== null) await ready(deps, subject, d.id, hostPort, deps.clock ?? Date.now);
  }
  return observed(d);
}
