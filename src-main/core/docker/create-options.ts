// A validated launch spec → the Engine API body of POST /containers/create, field for field as the
// docker CLI sends it (so `--gpus`, `--ulimit`, `-p` behave exactly as users know them).
import type Docker from 'dockerode';
import type { LaunchSpec } from '@shared/contract';
import { cpusToNano } from '@shared/units';

export const LABEL_MANAGED = 'io.mlenv.managed';
export const LABEL_PROJECT = 'io.mlenv.project';
export const LABEL_PROBE = 'io.mlenv.probe';

/** "http:80/path" or "tcp:5432", stored as a label so the probe survives an app restart. */
export const probeLabel = (p: NonNullable<LaunchSpec['probe']>): string => `${p.kind}:${p.port}${p.kind === 'http' ? (p.path ?? '/') : ''}`;
export function parseProbeLabel(v: string | undefined): { kind: 'tcp' | 'http'; port: number; path: string } | null {
  const m = v ? /^(tcp|http):(\d+)(\/.*)?$/.exec(v) : null;
  return m ? { kind: m[1] as 'tcp' | 'http', port: Number(m[2]), path: m[3] ?? '/' } : null;
}

export function buildCreateOptions(spec: LaunchSpec): Docker.ContainerCreateOptions {
  // Built as the Engine API JSON (DeviceIDs: null as the CLI sends it), then handed over as HostConfig.
  const hc: Record<string, unknown> = {};
  if (spec.gpus) hc.DeviceRequests = [spec.gpus];
  if (spec.ipc) hc.IpcMode = spec.ipc;
  if (spec.ulimits?.length) hc.Ulimits = spec.ulimits;
  if (spec.memory !== undefined) hc.Memory = spec.memory;
  if (spec.cpus !== undefined) hc.NanoCpus = cpusToNano(spec.cpus);
  if (spec.cpuset) hc.CpusetCpus = spec.cpuset;
  if (spec.volumes?.length) hc.Binds = spec.volumes.map((v) => `${v.source}:${v.target}${v.readOnly ? ':ro' : ''}`);
  const exposed: Record<string, object> = {};
  if (spec.ports?.length) {
    const bindings: Record<string, { HostIp?: string; HostPort: string }[]> = {};
    for (const p of spec.ports) {
      const key = `${p.containerPort}/${p.protocol}`;
      exposed[key] = {};
      // HostPort "" asks the engine for any free port, as `-p 80` does.
      (bindings[key] ??= []).push({ ...(p.hostIp ? { HostIp: p.hostIp } : {}), HostPort: p.hostPort ? String(p.hostPort) : '' });
    }
    hc.PortBindings = bindings;
  }
  if (spec.shmSize !== undefined) hc.ShmSize = spec.shmSize;
  if (spec.runtime) hc.Runtime = spec.runtime;
  if (spec.restart) hc.RestartPolicy = { Name: spec.restart, ...(spec.restart === 'on-failure' ? { MaximumRetryCount: 0 } : {}) };
  if (spec.init) hc.Init = true;

  const labels: Record<string, string> = {
    ...spec.labels,
    [LABEL_MANAGED]: 'true',
    [LABEL_PROJECT]: spec.project,
    ...(spec.probe ? { [LABEL_PROBE]: probeLabel(spec.probe) } : {}),
  };
  const it = spec.interactive === true;
  const opts: Docker.ContainerCreateOptions = {
    ...(spec.name ? { name: spec.name } : {}),
    Image: spec.image,
    ...(spec.command ? { Cmd: spec.command } : {}),
    ...(spec.entrypoint ? { Entrypoint: spec.entrypoint } : {}),
    ...(spec.env?.length ? { Env: spec.env.map((e) => `${e.key}=${e.value}`) } : {}),
    Tty: it,
    OpenStdin: it,
    AttachStdin: false,
    AttachStdout: it,
    AttachStderr: it,
    ...(Object.keys(exposed).length ? { ExposedPorts: exposed } : {}),
    Labels: labels,
    HostConfig: hc as Docker.HostConfig,
  };
  return opts;
}
