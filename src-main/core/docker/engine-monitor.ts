import Docker from 'dockerode';
import type { EngineStatus } from '@shared/contract';
import type { Bus } from '../bus';
import { every, type Loop } from '../every';

/** Where dockerode will connect, for people: DOCKER_HOST or the default socket. */
export function describeDockerHost(env = process.env): string {
  if (env.DOCKER_HOST) return env.DOCKER_HOST;
  return process.platform === 'win32' ? 'npipe:////./pipe/docker_engine' : 'unix:///var/run/docker.sock';
}

export interface EngineMonitorOptions {
  bus: Bus;
  docker?: Docker;
  /** Re-check of a connected engine. */
  healthyIntervalMs?: number;
  /** Backoff bounds while the engine is unreachable; the cap keeps rediscovery under a few seconds. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** For engines other than the default: their address and where their status goes (instead of `engine.status`). */
  host?: string;
  onChange?: (status: EngineStatus) => void;
}

/**
 * Watches the Docker engine: ping + version, re-checked periodically; while it is unreachable,
 * retried with capped exponential backoff so an engine that starts later is found without a restart.
 */
export function createEngineMonitor(opts: EngineMonitorOptions) {
  // dockerode with no options reads DOCKER_HOST (unix, tcp, ssh) or uses the default socket.
  const docker = opts.docker ?? new Docker();
  const host = opts.host ?? describeDockerHost();
  const listeners = new Set<(s: EngineStatus) => void>();
  const healthyMs = opts.healthyIntervalMs ?? 5000;
  const minBackoff = opts.minBackoffMs ?? 500;
  const maxBackoff = opts.maxBackoffMs ?? 3000;
  let status: EngineStatus = { state: 'connecting', host, since: Date.now() };
  let failures = 0;
  let loop: Loop | undefined;

  function set(next: Omit<EngineStatus, 'since' | 'host'>) {
    const changed = next.state !== status.state || next.version !== status.version || next.error !== status.error;
    if (!changed) return;
    status = { ...next, host, since: next.state === status.state ? status.since : Date.now() };
    if (opts.onChange) opts.onChange(status);
    else opts.bus.emit('engine.status', status);
    for (const l of listeners) l(status);
  }

  async function check(): Promise<EngineStatus> {
    try {
      await docker.ping();
      const [v, info] = await Promise.all([docker.version(), docker.info() as Promise<{ Runtimes?: Record<string, unknown> }>]);
      failures = 0;
      set({
        state: 'connected',
        version: v.Version,
        apiVersion: v.ApiVersion,
        os: v.Os,
        arch: v.Arch,
        runtimes: Object.keys(info.Runtimes ?? {}).sort(),
      });
    } catch (e) {
      failures++;
      const err = e as NodeJS.ErrnoException;
      set({ state: 'unreachable', error: err.code ? `${err.code}: ${err.message}` : err.message });
    }
    return status;
  }

  /** Checks, then paces the loop: the healthy interval while connected, else the backoff after `failures`. */
  async function checkAndPace(): Promise<EngineStatus> {
    await check();
    loop?.setInterval(status.state === 'connected' ? healthyMs : Math.min(maxBackoff, minBackoff * 2 ** Math.max(0, failures - 1)));
    return status;
  }

  return {
    docker,
    get: () => status,
    /** Told of every state change (the Docker events stream reconnects on `connected`). */
    subscribe(fn: (s: EngineStatus) => void): () => void {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    /** Check now (e.g. after an operation failed to connect) instead of waiting for the timer. */
    recheck: checkAndPace,
    start() {
      loop ??= every(healthyMs, checkAndPace, { what: 'engine check', firstMs: 0 });
    },
    /** Ends the loop; a check in flight still finishes (it only reads the engine). */
    stop() {
      void loop?.dispose();
      loop = undefined;
    },
  };
}
export type EngineMonitor = ReturnType<typeof createEngineMonitor>;
