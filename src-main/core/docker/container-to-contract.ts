// Engine shapes → the contract's container shapes.
import type Docker from 'dockerode';
import type { ContainerDetail, ContainerPort, ContainerState, ContainerSummary } from '@shared/contract';
import type { DeviceRequest } from '@shared/gpus';
import { maskEnvEntry } from '@shared/secret-env';
import { LABEL_MANAGED, LABEL_PROJECT } from '@shared/labels';

const time = (s: string | undefined): number | null => {
  const t = s ? Date.parse(s) : NaN;
  return Number.isNaN(t) || t <= 0 ? null : t; // Docker says 0001-01-01 for "never"
};

export function summaryFromList(c: Docker.ContainerInfo, engine: string): ContainerSummary {
  const labels = c.Labels ?? {};
  const seen = new Set<string>();
  const ports: ContainerPort[] = [];
  for (const p of c.Ports ?? []) {
    // IPv4 and IPv6 bindings of one port are one port to a person.
    const key = `${p.PrivatePort}/${p.Type}/${p.PublicPort ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    ports.push({ containerPort: p.PrivatePort, protocol: p.Type, ...(p.PublicPort ? { hostPort: p.PublicPort, hostIp: p.IP } : {}) });
  }
  return {
    id: c.Id,
    name: (c.Names?.[0] ?? c.Id.slice(0, 12)).replace(/^\//, ''),
    image: c.Image,
    state: c.State as ContainerState,
    status: c.Status,
    created: c.Created * 1000,
    managed: labels[LABEL_MANAGED] === 'true',
    project: labels[LABEL_PROJECT] ?? null,
    engine,
    ports: ports.sort((a, b) => a.containerPort - b.containerPort),
    labels,
  };
}

export function portsFromInspect(ports: Record<string, { HostIp: string; HostPort: string }[] | null> | undefined): ContainerPort[] {
  const out: ContainerPort[] = [];
  for (const [key, binds] of Object.entries(ports ?? {})) {
    const [port, protocol = 'tcp'] = key.split('/');
    const seen = new Set<string>();
    for (const b of binds ?? []) {
      if (seen.has(b.HostPort)) continue;
      seen.add(b.HostPort);
      out.push({ containerPort: Number(port), protocol, hostIp: b.HostIp, hostPort: Number(b.HostPort) });
    }
    if (!binds?.length) out.push({ containerPort: Number(port), protocol });
  }
  return out.sort((a, b) => a.containerPort - b.containerPort);
}

/** NAME=value entries, each value whose name looks secret (isSecretEnvName) masked. */
export const maskEnv = (env: string[]): string[] => env.map(maskEnvEntry);

export function detailFromInspect(i: Docker.ContainerInspectInfo, engine: string): ContainerDetail {
  const labels = i.Config.Labels ?? {};
  const hc = i.HostConfig as Docker.HostConfig & { DeviceRequests?: DeviceRequest[] | null; Init?: boolean | null };
  const st = i.State as Docker.ContainerInspectInfo['State'] & { Health?: { Status: string } };
  const state: ContainerState = st.Running ? (st.Paused ? 'paused' : st.Restarting ? 'restarting' : 'running') : (st.Status as ContainerState);
  return {
    id: i.Id,
    name: i.Name.replace(/^\//, ''),
    image: i.Config.Image,
    state,
    status: st.Status,
    created: Date.parse(i.Created),
    managed: labels[LABEL_MANAGED] === 'true',
    project: labels[LABEL_PROJECT] ?? null,
    engine,
    ports: portsFromInspect(i.NetworkSettings?.Ports as Record<string, { HostIp: string; HostPort: string }[] | null>),
    labels,
    startedAt: time(st.StartedAt),
    finishedAt: time(st.FinishedAt),
    exitCode: st.Running ? null : st.ExitCode,
    oomKilled: st.OOMKilled,
    restartCount: i.RestartCount,
    dockerHealth: st.Health?.Status ?? null,
    command: [...(i.Config.Entrypoint ? ([] as string[]).concat(i.Config.Entrypoint) : []), ...(i.Config.Cmd ?? [])],
    env: maskEnv(i.Config.Env ?? []),
    nanoCpus: hc.NanoCpus || null,
    memory: hc.Memory || null,
    shmSize: hc.ShmSize || null,
    gpus: hc.DeviceRequests ?? [],
    mounts: (i.Mounts ?? []).map((m) => ({ source: m.Name ?? m.Source, target: m.Destination, readOnly: !m.RW })),
    restartPolicy: hc.RestartPolicy?.Name || 'no',
    runtime: hc.Runtime ?? null,
    ipcMode: hc.IpcMode || null,
    // The engine always writes all three; an entry without them would be no limit to show.
    ulimits: (hc.Ulimits ?? []).flatMap((u) => (u.Name && u.Soft !== undefined && u.Hard !== undefined ? [{ Name: u.Name, Soft: u.Soft, Hard: u.Hard }] : [])),
    jupyter: null,
  };
}
