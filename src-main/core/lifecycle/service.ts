// The lifecycle gate: the only code that creates, starts, unpauses or restarts a container
// (gate.test.ts holds every other source to that). A launch goes
//   validate → admit and reserve → pull → create → start → commit or release,
// with everything up to the reservation done before its first await, so that no other request can
// be decided on the same facts; a start, unpause or restart goes resolve (inspect) → admit and
// reserve → act → commit or release. Every way out after admission settles the reservation, and
// every journal row carries the Actor who asked.
import type Docker from 'dockerode';
import type { Actor, ContainerDetail, LaunchSpec } from '@shared/contract';
import { AppError } from '@shared/errors';
import type { Bus } from '../bus';
import type { Containers } from '../docker/containers';
import { buildCreateOptions } from '../docker/create-options';
import type { Engine } from '../docker/engine-registry';
import { engineMessage, toAppError } from '../docker/errors';
import type { Images } from '../docker/images';
import { admitAll, settledOnce, type AdmissionGate, type AdmissionRequest, type PullFacts, type Reservation } from './admission';
import { createInFlight } from './in-flight';
import { checkLaunch } from './launch-checks';

/** The gate's operations on a container that exists. */
export type GateOp = 'start' | 'unpause' | 'restart';

/** What a caller of launch may add to the spec: what it knew of the pull (PullFacts); not part of the contract's request, so no remote caller sets it. */
export interface LaunchOptions {
  pull?: PullFacts;
}

export function createLifecycle(opts: { bus: Bus; images: Images; containers: Containers; admission?: AdmissionGate }) {
  const { bus, images, containers } = opts;
  const admission = opts.admission ?? admitAll;
  const inFlight = createInFlight();

  /** Claims the name, then admits and reserves: synchronous, all or nothing (the claim is let go when admission refuses). */
  function enter(engine: Engine, name: string | undefined, request: AdmissionRequest, what: string): { leave: () => void; reservation: Reservation } {
    const leave = name ? inFlight.claim(engine, name, request.action, request.actor) : () => undefined;
    try {
      return { leave, reservation: settledOnce(admission.admitAndReserve(request), what) };
    } catch (e) {
      leave();
      throw e;
    }
  }

  return {
    /**
     * Launches `spec` on `engine` as `actor` and returns the container as inspected afterwards. Errors
     * (each journaled as a `container.launch` row with the actor): INVALID_INPUT (a missing bind
     * source, a dangerous mount not allowed), CONFLICT (a launch of the same name under way, the name
     * or a port taken), ADMISSION_REJECTED (from admission), NOT_FOUND (no such image and pull
     * "never"), and the engine's own failures typed by toAppError. A container that was created but
     * could not start is removed, so it does not hold its name. `options.pull`: what the caller knew
     * of the pull (admission's disk check counts it); absent, only the disk margin is checked.
     */
    async launch(engine: Engine, spec: LaunchSpec, actor: Actor, options: LaunchOptions = {}): Promise<ContainerDetail> {
      const label = spec.name ?? spec.image;
      let doing = `launch ${label}`;
      let containerId: string | undefined;
      const refuse = (e: unknown): never => {
        const err = toAppError(e, doing, engine.name);
        containers.record('container.launch', { id: containerId, name: spec.name, image: spec.image }, engine, { error: err.message, actor });
        throw err;
      };
      // Validate, claim the name, admit and reserve: no await until the reservation is held.
      let dangerous: ReturnType<typeof checkLaunch>;
      let entered: ReturnType<typeof enter>;
      try {
        dangerous = checkLaunch(engine, spec);
        entered = enter(engine, spec.name, { action: 'launch', actor, engine: { id: engine.id, name: engine.name }, spec, ...(options.pull ? { pull: options.pull } : {}) }, `the launch of ${label}`);
      } catch (e) {
        return refuse(e);
      }
      const { leave, reservation } = entered;
      try {
        try {
          const present = await images.exists(engine, spec.image);
          if (spec.pull === 'always' || (!present && spec.pull === 'missing')) await images.pull(engine, spec.image, actor);
          else if (!present) throw new AppError('NOT_FOUND', `image ${spec.image} is not on engine ${engine.name} and pull is "never"`);
          doing = `create ${label}`;
          const container = await engine.docker.createContainer(buildCreateOptions(spec));
          containerId = container.id;
          reservation.bind(container.id);
          if (spec.start) {
            doing = `start ${label}`;
            await startOrRemove(container);
          }
          reservation.commit();
        } catch (e) {
          reservation.release(`${doing}: ${engineMessage(e)}`);
          return refuse(e);
        }
        const d = await containers.inspect(engine, containerId);
        // Kept without secret env values: the container has them, the database does not.
        containers.remember(engine, d, spec);
        containers.record('container.launch', d, engine, {
          actor,
          details: {
            state: d.state,
            nanoCpus: d.nanoCpus,
            memory: d.memory,
            gpus: d.gpus,
            ...(dangerous.length ? { dangerousMounts: dangerous.map((m) => m.mount) } : {}),
            ...(spec.exposePorts ? { exposePorts: true } : {}),
          },
        });
        bus.emit('containers.changed', { engine: engine.id, id: d.id, name: d.name, action: 'launch' });
        return d;
      } finally {
        leave();
      }
    },

    /**
     * Starts, unpauses or restarts the managed container `id` (an id, id prefix or name) as `actor`;
     * `timeoutSeconds` is restart's wait before it kills. Returns the container as inspected
     * afterwards. Errors: NOT_FOUND, UNSUPPORTED (a container MLEnv did not create), CONFLICT
     * (another gate operation on it under way, or nothing to do), ADMISSION_REJECTED, and the
     * engine's own failures; each failure after the container is found is journaled with the actor.
     */
    async operate(engine: Engine, id: string, op: GateOp, actor: Actor, timeoutSeconds?: number): Promise<ContainerDetail> {
      const before = await containers.managed(engine, id, `${op} ${id}`);
      const fail = (e: unknown): never => {
        const err = toAppError(e, `${op} ${before.name}`, engine.name);
        containers.record(`container.${op}`, before, engine, { error: err.message, actor });
        throw err;
      };
      let entered: ReturnType<typeof enter>;
      try {
        entered = enter(engine, before.name, { action: op, actor, engine: { id: engine.id, name: engine.name }, container: before }, `the ${op} of ${before.name}`);
      } catch (e) {
        return fail(e);
      }
      const { leave, reservation } = entered;
      try {
        reservation.bind(before.id);
        const c = engine.docker.getContainer(before.id);
        try {
          if (op === 'restart') await c.restart(timeoutSeconds !== undefined ? { t: timeoutSeconds } : {});
          else if (op === 'start') await c.start();
          else await c.unpause();
          reservation.commit();
        } catch (e) {
          reservation.release(`${op} ${before.name}: ${engineMessage(e)}`);
          return fail(e);
        }
        const d = await containers.inspect(engine, before.id);
        containers.remember(engine, d);
        containers.record(`container.${op}`, d, engine, { actor });
        bus.emit('containers.changed', { engine: engine.id, id: d.id, name: d.name, action: op });
        return d;
      } finally {
        leave();
      }
    },
  };
}
export type Lifecycle = ReturnType<typeof createLifecycle>;

/** Starts a container just created; one that cannot start (a port taken, a bad runtime) would only hold its name, so it is removed. */
async function startOrRemove(container: Docker.Container): Promise<void> {
  try {
    await container.start();
  } catch (e) {
    await container.remove({ force: true }).catch(() => undefined);
    throw e;
  }
}
