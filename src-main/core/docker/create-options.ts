// A validated launch spec → the Engine API body of POST /containers/create, field for field as the
// docker CLI sends it (so `--gpus`, `--ulimit`, `-p` behave exactly as users know them).
import type Docker from 'dockerode';
import type { LaunchSpec } from '@shared/contract';
import { checkProbePath } from '@shared/launch';
import { LABEL_MANAGED, LABEL_PROBE, LABEL_PROJECT, LOOPBACK, probeLabel } from '@shared/labels';
import { cpusToNano, UnitError } from '@shared/units';
import { bindSpec } from '@shared/volumes';

export interface ProbeSpec {
  kind: 'tcp' | 'http';
  /** The container port (1–65535) whose published host port is probed. */
  port: number;
  /** The HTTP request path (checkProbePath); "/" for tcp. */
  path: string;
}

/**
 * Reads the io.mlenv.probe label back: "http:<port>[<path>]" or "tcp:<port>"; null when the label is
 * absent or empty. Labels are written by whoever creates the container (any local Docker user), so
 * the value is untrusted: a malformed one throws UnitError with the reason (port outside 1–65535, a
 * path checkProbePath refuses, a path on a tcp probe).
 */
export function parseProbeLabel(v: string | undefined): ProbeSpec | null {
  if (v === undefined || v === '') return null;
  const shown = JSON.stringify(v.length > 80 ? `${v.slice(0, 80)}…` : v);
  const m = /^(tcp|http):(\d+)(\/[^]*)?$/.exec(v);
  if (!m) throw new UnitError(`${shown} is not kind:port[/path], such as http:8080/ready or tcp:5432`);
  const kind = m[1] as ProbeSpec['kind'];
  const port = Number(m[2]);
  if (port < 1 || port > 65535) throw new UnitError(`${shown}: port ${m[2]!.length > 6 ? `${m[2]!.slice(0, 6)}…` : m[2]} is not 1–65535`);
  if (kind === 'tcp') {
    if (m[3]) throw new UnitError(`${shown}: a tcp probe takes no path`);
    return { kind, port, path: '/' };
  }
  return { kind, port, path: checkProbePath(m[3] ?? '/') };
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
  // -v as the CLI sends it: each mount with a source as written in Binds (every option kept, the engine
  // reads them), each anonymous volume as a key of Config.Volumes.
  const binds = (spec.volumes ?? []).filter((v) => v.source !== '');
  const anonymous = (spec.volumes ?? []).filter((v) => v.source === '');
  if (binds.length) hc.Binds = binds.map(bindSpec);
  const exposed: Record<string, object> = {};
  if (spec.ports?.length) {
    const bindings: Record<string, { HostIp?: string; HostPort: string }[]> = {};
    for (const p of spec.ports) {
      const key = `${p.containerPort}/${p.protocol}`;
      exposed[key] = {};
      // HostPort "" asks the engine for any free port, as `-p 80` does. No address in the spec: loopback
      // only unless the user chose "reachable from the network" (then every address, as `-p` does).
      const hostIp = p.hostIp ?? (spec.exposePorts ? undefined : LOOPBACK);
      (bindings[key] ??= []).push({ ...(hostIp ? { HostIp: hostIp } : {}), HostPort: p.hostPort ? String(p.hostPort) : '' });
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
    ...(anonymous.length ? { Volumes: Object.fromEntries(anonymous.map((v) => [v.target, {}])) } : {}),
    Labels: labels,
    HostConfig: hc as Docker.HostConfig,
  };
  return opts;
}
