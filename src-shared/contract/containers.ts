import { z } from 'zod';
import { checkContainerName, checkProbePath, MAX_PROBE_PATH, parseEnv, parsePort } from '../launch';
import { parseVolume } from '../volumes';
import { dangerousMountMessage, mountRisk } from '../dangerous-mounts';
import { parseGpus, type DeviceRequest } from '../gpus';
import { bindSpec } from '../volumes';
import { parseBytes, parseCpus, parseUlimit, type Ulimit } from '../units';
import type { ContainerStats } from './container-stats';
import { event, request } from './define';
import type { HealthState } from './health';
import { via } from './parse';
import { containerRef, engineId, imageRef } from './refs';

export type ContainerState = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

/** The state last asked for through MLEnv, which a reconciler holds a container to: launched or started (running), stopped, paused. */
export type DesiredState = 'running' | 'stopped' | 'paused';

export interface ContainerPort {
  containerPort: number;
  protocol: string;
  hostIp?: string;
  /** The port actually bound on the host (read back from the engine). */
  hostPort?: number;
}

export interface ContainerSummary {
  id: string;
  name: string;
  image: string;
  state: ContainerState;
  /** The engine's own words, e.g. "Up 3 minutes". */
  status: string;
  created: number;
  /** Ours (io.mlenv.managed=true): full control. Others are read-only. */
  managed: boolean;
  project: string | null;
  engine: string;
  ports: ContainerPort[];
  labels: Record<string, string>;
  health?: HealthState;
}

export interface ContainerDetail extends ContainerSummary {
  startedAt: number | null;
  finishedAt: number | null;
  exitCode: number | null;
  oomKilled: boolean;
  restartCount: number;
  /** Docker HEALTHCHECK status when the image has one. */
  dockerHealth: string | null;
  command: string[];
  /** NAME=value; values of names that look secret are masked. */
  env: string[];
  nanoCpus: number | null;
  memory: number | null;
  shmSize: number | null;
  gpus: DeviceRequest[];
  mounts: { source: string; target: string; readOnly: boolean }[];
  restartPolicy: string;
  runtime: string | null;
  /** HostConfig.IpcMode as the engine reports it (private, shareable, host, none, container:<id>); null when the engine leaves it empty. */
  ipcMode: string | null;
  /** HostConfig.Ulimits, as `--ulimit` sets them (memlock=-1 is Soft and Hard -1); empty when none is set. */
  ulimits: Ulimit[];
  /**
   * For Jupyter images: the server's link found in the logs, on the published port; null when none.
   * Only containers.inspect reads the logs for it: the detail a launch, start or other operation returns has null.
   */
  jupyter: JupyterLink | null;
  /** The spec MLEnv launched it with, secret env values masked (kept in the database); absent for one launched elsewhere. */
  launchSpec?: LaunchSpec;
  /** The state last asked for through MLEnv (a launch or start: running; a stop; a pause); absent when not known. */
  desiredState?: DesiredState;
}

/** A Jupyter server's link, as the container's log announced it, rewritten for a browser on this machine. */
export interface JupyterLink {
  /** http(s)://<published host address>:<host port><base URL path>[?token=<as logged, URL-encoded>] */
  url: string;
  /**
   * true: the server asks for a token (in the link, or set in its config and not logged);
   * false: the log says authentication is disabled (anyone who can reach the port can run code);
   * null: the link has no token and the log says nothing either way (a password may protect it).
   */
  authenticated: boolean | null;
}

const ref = z.object({ id: containerRef, engine: engineId.optional() }).strict();

/** One word of a command or entrypoint (an argv element). */
const word = z.string().max(8192);

/** Every field a launch may set, each validated by the shared parsers before anything reaches the engine. */
export const launchSchema = z
  .object({
    engine: engineId.optional(),
    image: imageRef,
    name: via(checkContainerName, 128).optional(),
    project: z
      .string()
      .max(64)
      .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}$/, 'a project is 1–64 letters, digits, _ . or -')
      .default('default'),
    cpus: via(parseCpus).optional(),
    cpuset: z
      .string()
      .max(256)
      .regex(/^\d+(-\d+)?(,\d+(-\d+)?)*$/, 'a CPU set looks like 0-7 or 0,2,4')
      .optional(),
    memory: via(parseBytes).optional(),
    shmSize: via(parseBytes).optional(),
    gpus: via(parseGpus).optional(),
    ipc: z.enum(['private', 'shareable', 'host', 'none']).optional(),
    ulimits: z.array(via(parseUlimit)).max(32).optional(),
    runtime: z.string().max(64).regex(/^[a-zA-Z0-9_.-]+$/, 'a runtime name such as nvidia or runc').optional(),
    ports: z.array(via(parsePort)).max(64).optional(),
    env: z.array(via(parseEnv, 32_768)).max(512).optional(),
    volumes: z.array(via(parseVolume)).max(64).optional(),
    command: z.array(word).max(256).optional(),
    entrypoint: z.array(word).max(64).optional(),
    restart: z.enum(['no', 'always', 'unless-stopped', 'on-failure']).optional(),
    labels: z
      .record(z.string().max(128).regex(/^[a-z0-9][a-z0-9._-]*$/, 'label keys are lower-case, like org.example.key'), z.string().max(4096))
      .refine((l) => Object.keys(l).length <= 128, 'at most 128 labels')
      .optional(),
    /** -it: a terminal and open stdin, as NGC images expect for an interactive shell. */
    interactive: z.boolean().optional(),
    /** An init process as PID 1 (reaps zombies, forwards SIGTERM). */
    init: z.boolean().optional(),
    /** Responsiveness probe on a published container port. */
    probe: z
      .object({ kind: z.enum(['tcp', 'http']), port: z.number().int().min(1).max(65535), path: via(checkProbePath, MAX_PROBE_PATH).optional() })
      .strict()
      .optional(),
    pull: z.enum(['missing', 'always', 'never']).default('missing'),
    start: z.boolean().default(true),
    /**
     * Publish ports on every host address (as plain `-p 8888:8888` does). Default false: a port
     * without a host address in its spec binds 127.0.0.1, reachable from this machine only; an
     * address written in the spec (0.0.0.0:8888:8888) is kept as written.
     */
    exposePorts: z.boolean().default(false),
    /** Bind mounts that give the container the host (dangerousMounts: the engine's socket, /, /etc, …) are refused without it. */
    allowDangerousMounts: z.boolean().default(false),
  })
  .strict()
  .superRefine((spec, ctx) => {
    if (spec.allowDangerousMounts) return;
    for (const [i, v] of (spec.volumes ?? []).entries()) {
      const risk = mountRisk(v);
      if (risk) ctx.addIssue({ code: 'custom', path: ['volumes', i], message: dangerousMountMessage({ mount: bindSpec(v), risk }) });
    }
  });
export type LaunchInput = z.input<typeof launchSchema>;
export type LaunchSpec = z.output<typeof launchSchema>;

export interface LogLine {
  ts: number | null;
  stream: 'stdout' | 'stderr';
  text: string;
}

export interface ContainersChanged {
  engine: string;
  id: string;
  name: string | null;
  /** The Docker event action or our operation: start, die, oom, destroy, … */
  action: string;
}

export const containersRequests = {
  'containers.list': request(z.object({ engine: engineId.optional(), all: z.boolean().default(true) }).strict()).returns<ContainerSummary[]>(),
  'containers.inspect': request(ref).returns<ContainerDetail>(),
  'containers.launch': request(launchSchema).returns<ContainerDetail>(),
  'containers.start': request(ref).returns<ContainerDetail>(),
  'containers.stop': request(ref.extend({ timeoutSeconds: z.number().int().min(0).max(600).optional() }).strict()).returns<ContainerDetail>(),
  'containers.restart': request(ref.extend({ timeoutSeconds: z.number().int().min(0).max(600).optional() }).strict()).returns<ContainerDetail>(),
  'containers.pause': request(ref).returns<ContainerDetail>(),
  'containers.unpause': request(ref).returns<ContainerDetail>(),
  'containers.remove': request(ref.extend({ force: z.boolean().default(false) }).strict()).returns<{ id: string; removed: true }>(),
  /** The newest streaming-stats sample of every running managed container. */
  'containers.stats': request(z.object({}).strict()).returns<ContainerStats[]>(),
  'logs.tail': request(ref.extend({ tail: z.number().int().min(1).max(100_000).default(500), timestamps: z.boolean().default(true) }).strict()).returns<
    LogLine[]
  >(),
  /** Follows a container's output: lines arrive as `logs.lines` events carrying the returned followId. */
  'logs.follow': request(ref.extend({ tail: z.number().int().min(0).max(100_000).default(200) }).strict()).returns<{ followId: string }>(),
  'logs.unfollow': request(z.object({ followId: z.string().max(64) }).strict()).returns<{ stopped: boolean }>(),
};

export const containersEvents = {
  'containers.changed': event<ContainersChanged>(),
  'logs.lines': event<{ followId: string; containerId: string; lines: LogLine[]; ended?: boolean }>(),
};
