import { z } from 'zod';
import { checkContainerName, checkImageRef, parseEnv, parsePort, parseVolume } from '../launch';
import { parseGpus, type DeviceRequest } from '../gpus';
import { parseBytes, parseCpus, parseUlimit } from '../units';
import type { ContainerStats } from './container-stats';
import { event, request } from './define';
import type { HealthState } from './health';
import { via } from './parse';

export type ContainerState = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

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
  /** For Jupyter images: the tokenized URL found in the logs. */
  jupyterUrl: string | null;
}

const ref = z.object({ id: z.string().min(1).max(128), engine: z.string().optional() }).strict();

/** Every field a launch may set, each validated by the shared parsers before anything reaches the engine. */
export const launchSchema = z
  .object({
    engine: z.string().optional(),
    image: via(checkImageRef),
    name: via(checkContainerName).optional(),
    project: z
      .string()
      .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}$/, 'a project is 1–64 letters, digits, _ . or -')
      .default('default'),
    cpus: via(parseCpus).optional(),
    cpuset: z
      .string()
      .regex(/^\d+(-\d+)?(,\d+(-\d+)?)*$/, 'a CPU set looks like 0-7 or 0,2,4')
      .optional(),
    memory: via(parseBytes).optional(),
    shmSize: via(parseBytes).optional(),
    gpus: via(parseGpus).optional(),
    ipc: z.enum(['private', 'shareable', 'host', 'none']).optional(),
    ulimits: z.array(via(parseUlimit)).max(32).optional(),
    runtime: z.string().regex(/^[a-zA-Z0-9_.-]+$/, 'a runtime name such as nvidia or runc').optional(),
    ports: z.array(via(parsePort)).max(64).optional(),
    env: z.array(via(parseEnv)).max(512).optional(),
    volumes: z.array(via(parseVolume)).max(64).optional(),
    command: z.array(z.string()).max(256).optional(),
    entrypoint: z.array(z.string()).max(64).optional(),
    restart: z.enum(['no', 'always', 'unless-stopped', 'on-failure']).optional(),
    labels: z.record(z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'label keys are lower-case, like org.example.key'), z.string()).optional(),
    /** -it: a terminal and open stdin, as NGC images expect for an interactive shell. */
    interactive: z.boolean().optional(),
    /** An init process as PID 1 (reaps zombies, forwards SIGTERM). */
    init: z.boolean().optional(),
    /** Responsiveness probe on a published container port. */
    probe: z
      .object({ kind: z.enum(['tcp', 'http']), port: z.number().int().min(1).max(65535), path: z.string().startsWith('/').optional() })
      .strict()
      .optional(),
    pull: z.enum(['missing', 'always', 'never']).default('missing'),
    start: z.boolean().default(true),
  })
  .strict();
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
  'containers.list': request(z.object({ engine: z.string().optional(), all: z.boolean().default(true) }).strict()).returns<ContainerSummary[]>(),
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
  'logs.unfollow': request(z.object({ followId: z.string() }).strict()).returns<{ stopped: boolean }>(),
};

export const containersEvents = {
  'containers.changed': event<ContainersChanged>(),
  'logs.lines': event<{ followId: string; containerId: string; lines: LogLine[]; ended?: boolean }>(),
};
