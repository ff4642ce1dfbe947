import type { ContainerPort, HealthState } from '@shared/contract';

export const shortId = (id: string) => id.slice(0, 12);
export const formatPorts = (ports: ContainerPort[]) =>
  ports.map((p) => (p.hostPort ? `${p.hostPort}→${p.containerPort}/${p.protocol}` : `${p.containerPort}/${p.protocol}`)).join(', ');
export const formatTime = (ms: number | null | undefined) => (ms ? new Date(ms).toLocaleString() : '—');
export const HEALTH_CLASS: Record<HealthState, string> = { healthy: 'status-ok', warning: 'status-warning', critical: 'status-critical', stopped: 'status-stopped' };
export const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));
/** A published HTTP-looking port, as a browser address on this machine. */
export const portUrl = (p: ContainerPort) => (p.hostPort && p.protocol === 'tcp' ? `http://127.0.0.1:${p.hostPort}/` : null);
/** One ulimit as `--ulimit` writes it: name=soft, or name=soft:hard when they differ (-1: unlimited). */
export const formatUlimit = (u: { Name: string; Soft: number; Hard: number }) => `${u.Name}=${u.Soft}${u.Soft === u.Hard ? '' : `:${u.Hard}`}`;
