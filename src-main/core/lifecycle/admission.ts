// The seam where admission control sits in the lifecycle gate: one synchronous admit-and-reserve
// call per launch, start, unpause or restart, and a reservation the gate settles exactly once.
// The app's gate gets admission control (core/admission/service.ts: decide() and the reservation
// ledger); admitAll, which admits everything and holds nothing, is for gates built without it.
import type { Actor, ContainerDetail, LaunchSpec } from '@shared/contract';
import { log } from '../log';

/** The gate's operations that can make a container use more of the machine. */
export type GateAction = 'launch' | 'start' | 'unpause' | 'restart';

interface RequestBase {
  actor: Actor;
  /** The engine the container is on (decisions on one engine are serialised). */
  engine: { id: string; name: string };
}

/**
 * What the caller of a launch knew of its pull before calling the gate. The gate decides before its
 * first await, so it cannot ask the engine whether the image is there; a caller that looked says so
 * (the catalog's one-click launch: whether the tag is on the engine, and the catalog's compressed size
 * for the engine's architecture). Absent (the launch form): unknown, and admission checks only the
 * disk margin. Facts from just before the gate: the image may come or go meanwhile, and the size is the
 * registry's, so admission counts it as an estimate.
 */
export interface PullFacts {
  /** The image is on the engine: nothing to pull. */
  imagePresent: boolean;
  /** Compressed bytes the pull downloads (the manifest's config.size + Σ layers[].size); null or absent when unknown. */
  pullBytes?: number | null;
}

/** What asks to be admitted: a launch's validated spec (with what its caller knew of the pull), or the container as inspected just before it is started, unpaused or restarted. */
export type AdmissionRequest =
  | (RequestBase & { action: 'launch'; spec: LaunchSpec; pull?: PullFacts })
  | (RequestBase & { action: 'start' | 'unpause' | 'restart'; container: ContainerDetail });

/** What an admitted request holds until the gate settles it. */
export interface Reservation {
  /** The container exists (a launch created it, or it is the one acted on): the reservation is now tied to it. */
  bind(containerId: string): void;
  /** The container runs (or, launched with start false, exists): what was reserved is now its usage. Ends the reservation. */
  commit(): void;
  /** The operation failed after admission (pull, create or start): what was reserved is free again. Ends the reservation. */
  release(reason: string): void;
}

export interface AdmissionGate {
  /**
   * Decides and, when admitted, reserves — synchronously, so that no other request can be decided
   * between the two: the gate calls this before its first await on a launch (and right after the
   * one inspect that tells what a start, unpause or restart would run). Refuses by throwing an
   * AppError (ADMISSION_REJECTED carrying the decision); then nothing is reserved.
   */
  admitAndReserve(request: AdmissionRequest): Reservation;
}

const NOTHING_HELD: Reservation = { bind: () => undefined, commit: () => undefined, release: () => undefined };

/** Admits every request and reserves nothing: a gate built without admission control (tests of the gate itself, benchmarks' baseline). */
export const admitAll: AdmissionGate = { admitAndReserve: () => NOTHING_HELD };

/**
 * `r` settled at most once: after commit or release, every later call does nothing. A reservation
 * that throws is logged and counted as settled, so that the operation's own outcome (or error) is
 * what the caller sees.
 */
export function settledOnce(r: Reservation, what: string): Reservation {
  let open = true;
  const guard = (step: string, fn: () => void) => {
    try {
      fn();
    } catch (e) {
      log.error(`admission: ${step} of the reservation for ${what} failed`, { message: (e as Error).message });
    }
  };
  return {
    bind(id) {
      if (open) guard('bind', () => r.bind(id));
    },
    commit() {
      if (!open) return;
      open = false;
      guard('commit', () => r.commit());
    },
    release(reason) {
      if (!open) return;
      open = false;
      guard('release', () => r.release(reason));
    },
  };
}
