// The engines the app talks to: "local" (the app's engine monitor: DOCKER_HOST or the default
// socket) and any a user added (unix socket, tcp with TLS, ssh), each with its own monitor.
import Docker from 'dockerode';
import { accessSync, readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { EngineAdd, EngineInfo } from '@shared/contract';
import { AppError } from '@shared/errors';
import type { Bus } from '../bus';
import type { EngineRepository } from '../store/engines';
import { onEngine, type EventLog } from '../store/events';
import { createEngineMonitor, type EngineMonitor } from './engine-monitor';
import { fireAndForget } from '../fire-and-forget';

export const LOCAL_ENGINE = 'local';

export interface Engine {
  id: string;
  name: string;
  kind: EngineInfo['kind'];
  docker: Docker;
  monitor: EngineMonitor;
  /** The unix socket (or Windows named pipe) the Engine API is reached on; null over TCP or SSH. */
  socketPath: string | null;
  /** Reached over plain TCP without TLS: whatever is sent (registry logins included) crosses the network readable. */
  cleartext: boolean;
}

/**
 * docker-modem's default socket, which it leaves as a function resolved at each request (modem.js
 * findDefaultUnixSocket): the user's ~/.docker/run/docker.sock when it exists, else /var/run/docker.sock.
 */
function defaultUnixSocket(): string {
  const user = path.join(os.homedir(), '.docker', 'run', 'docker.sock');
  try {
    accessSync(user);
    return user;
  } catch {
    return '/var/run/docker.sock';
  }
}

/**
 * How dockerode reaches an engine, read from its modem (which resolved DOCKER_HOST, DOCKER_TLS_VERIFY
 * and the options): a socket path, or a host with protocol http (plain TCP), https (TLS) or ssh.
 */
export function engineTransport(docker: Docker): Pick<Engine, 'socketPath' | 'cleartext'> {
  const modem = docker.modem as unknown as { socketPath?: string | (() => Promise<string>); host?: string; protocol?: string };
  const given = !modem.host ? modem.socketPath : undefined;
  const socketPath = typeof given === 'function' ? defaultUnixSocket() : given ? given : null;
  return { socketPath, cleartext: socketPath === null && modem.protocol === 'http' };
}

function dockerFor(spec: EngineAdd): { docker: Docker; host: string } {
  const read = (p: string, what: string) => {
    try {
      return readFileSync(p);
    } catch (e) {
      throw new AppError('INVALID_INPUT', `cannot read the ${what} file ${p}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  };
  switch (spec.kind) {
    case 'unix':
      return { docker: new Docker({ socketPath: spec.socketPath }), host: `unix://${spec.socketPath}` };
    case 'tcp':
      return spec.tls
        ? {
            docker: new Docker({ host: spec.host, port: spec.port, protocol: 'https', ca: read(spec.tls.ca, 'CA'), cert: read(spec.tls.cert, 'certificate'), key: read(spec.tls.key, 'key') }),
            host: `tcp://${spec.host}:${spec.port} (TLS)`,
          }
        : { docker: new Docker({ host: spec.host, port: spec.port, protocol: 'http' }), host: `tcp://${spec.host}:${spec.port}` };
    case 'ssh':
      return {
        docker: new Docker({
          protocol: 'ssh',
          host: spec.host,
          port: spec.port,
          username: spec.username,
          ...(spec.privateKeyPath ? { sshOptions: { privateKey: read(spec.privateKeyPath, 'private key') } } : {}),
        } as Docker.DockerOptions),
        host: `ssh://${spec.username}@${spec.host}:${spec.port}`,
      };
  }
}

export function createEngines(opts: { stored: EngineRepository; bus: Bus; events: EventLog; local: EngineMonitor }) {
  const engines = new Map<string, Engine>();
  engines.set(LOCAL_ENGINE, { id: LOCAL_ENGINE, name: 'Local', kind: 'local', docker: opts.local.docker, monitor: opts.local, ...engineTransport(opts.local.docker) });
  let started = false;

  const info = (e: Engine): EngineInfo => ({ id: e.id, name: e.name, kind: e.kind, cleartext: e.cleartext, status: e.monitor.get() });
  const list = (): EngineInfo[] => [...engines.values()].map(info);
  const changed = () => opts.bus.emit('engines.changed', list());
  opts.local.subscribe(changed);

  function open(id: string, spec: EngineAdd): Engine {
    const { docker, host } = dockerFor(spec);
    const monitor = createEngineMonitor({
      bus: opts.bus,
      docker,
      host,
      onChange: (s) => {
        opts.events.record({ type: `engine.${s.state}`, engine: id, engineName: spec.name, outcome: s.state === 'unreachable' ? 'error' : 'ok', error: s.error });
        changed();
      },
    });
    const engine: Engine = { id, name: spec.name, kind: spec.kind, docker, monitor, ...engineTransport(docker) };
    engines.set(id, engine);
    if (started) monitor.start();
    return engine;
  }

  for (const row of opts.stored.list()) {
    try {
      if ('problem' in row) throw new Error(row.problem);
      open(row.id, row.spec);
    } catch (e) {
      opts.events.record({ type: 'engine.invalid', ...onEngine(row), outcome: 'error', error: (e as Error).message });
    }
  }

  return {
    list,
    /** The engine by id (the local one when none is named); NOT_FOUND names the ones that exist. */
    get(id?: string): Engine {
      const e = engines.get(id ?? LOCAL_ENGINE);
      if (!e) throw new AppError('NOT_FOUND', `no engine "${id}"; known engines: ${[...engines.keys()].join(', ')}`);
      return e;
    },
    all: (): Engine[] => [...engines.values()],
    add(spec: EngineAdd): EngineInfo {
      if ([...engines.values()].some((e) => e.name === spec.name)) throw new AppError('CONFLICT', `an engine named "${spec.name}" already exists`);
      const id = randomUUID().slice(0, 8);
      const engine = open(id, spec);
      opts.stored.add(id, spec, Date.now());
      opts.events.record({ type: 'engine.added', ...onEngine(engine), actor: 'user', details: { kind: spec.kind } });
      if (!started) fireAndForget(engine.monitor.recheck(), `first check of engine ${spec.name}`, opts.events);
      changed();
      return info(engine);
    },
    remove(id: string): boolean {
      if (id === LOCAL_ENGINE) throw new AppError('INVALID_INPUT', 'the local engine cannot be removed; set DOCKER_HOST to point it elsewhere');
      const e = engines.get(id);
      if (!e) return false;
      e.monitor.stop();
      engines.delete(id);
      opts.stored.remove(id);
      opts.events.record({ type: 'engine.removed', ...onEngine(e), actor: 'user' });
      changed();
      return true;
    },
    /** Starts the monitors of added engines (the local one is started by the app). */
    start() {
      started = true;
      for (const e of engines.values()) if (e.id !== LOCAL_ENGINE) e.monitor.start();
    },
    stop() {
      started = false;
      for (const e of engines.values()) if (e.id !== LOCAL_ENGINE) e.monitor.stop();
    },
  };
}
export type Engines = ReturnType<typeof createEngines>;
