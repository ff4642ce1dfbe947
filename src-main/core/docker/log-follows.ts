// The log follows open now, each by its followId: the lines of one go to the one caller that
// opened it (its `send`), and whoever opened it stops it (or every one stops with the service).
import { randomUUID } from 'node:crypto';
import type { LogLine } from '@shared/contract';
import type { ContainerHandle } from './container-handle';
import { followLogs } from './logs';

/** One `logs.lines` payload: `ended` on the last, sent when the container's output ends. */
export interface LogLinesPayload {
  followId: string;
  containerId: string;
  lines: LogLine[];
  ended?: boolean;
}

export function createLogFollows() {
  const follows = new Map<string, { stop(): void }>();

  return {
    /** Follows `container` (its full id `containerId`) from its last `tail` lines; returns the new followId. */
    async open(container: ContainerHandle, containerId: string, tty: boolean, tail: number, send: (payload: LogLinesPayload) => void): Promise<string> {
      const followId = randomUUID();
      const f = await followLogs(container, tty, tail, (lines) => send({ followId, containerId, lines }), () => {
        follows.delete(followId);
        send({ followId, containerId, lines: [], ended: true });
      });
      follows.set(followId, f);
      return followId;
    },
    /** Stops one follow; false when there is none by that id (already ended or stopped). */
    stop(followId: string): boolean {
      const f = follows.get(followId);
      f?.stop();
      follows.delete(followId);
      return f !== undefined;
    },
    stopAll() {
      for (const f of follows.values()) f.stop();
      follows.clear();
    },
  };
}
export type LogFollows = ReturnType<typeof createLogFollows>;
