// The one way code outside the lifecycle gate (core/lifecycle) gets hold of a container: a dockerode
// handle without the methods that make a container run. Creating, starting, unpausing and restarting
// belong to the gate alone (src-main/core/lifecycle/gate.test.ts scans the sources for this).
import type Docker from 'dockerode';

/** What may be done to a container outside the gate: inspect, logs, stats, stop, pause, remove… — never start, unpause or restart. */
export type ContainerHandle = Omit<Docker.Container, 'start' | 'unpause' | 'restart'>;

/** The container `id` (a full or short id, or a name) on the engine; nothing is asked of the engine until a method is called. */
export function containerHandle(engine: { docker: Docker }, id: string): ContainerHandle {
  return engine.docker.getContainer(id);
}
