import type { EngineStatus, MetricsSnapshot, OverallStatus, StatusLevel, Thresholds } from '@shared/contract';

const RANK: Record<StatusLevel, number> = { ok: 0, warning: 1, critical: 2, unreachable: 3 };
export const worst = (a: StatusLevel, b: StatusLevel): StatusLevel => (RANK[b] > RANK[a] ? b : a);

/** The single verdict the tray and the header show: pure, from the latest facts. */
export function overallStatus(
  snapshot: MetricsSnapshot | undefined,
  engine: EngineStatus,
  t: Thresholds,
): OverallStatus {
  const reasons: { level: StatusLevel; text: string }[] = [];
  const cpu = snapshot?.host.cpu.percent ?? null;
  const mem = snapshot?.host.memory.percent ?? null;
  const judge = (label: string, value: number | null, warn: number, crit: number) => {
    if (value === null) return;
    if (value >= crit) reasons.push({ level: 'critical', text: `${label} at ${value.toFixed(0)} % (critical at ${crit} %)` });
    else if (value >= warn) reasons.push({ level: 'warning', text: `${label} at ${value.toFixed(0)} % (warning at ${warn} %)` });
  };
  judge('CPU', cpu, t.cpuWarnPercent, t.cpuCriticalPercent);
  judge('Memory', mem, t.memoryWarnPercent, t.memoryCriticalPercent);
  if (engine.state === 'unreachable') {
    reasons.push({ level: 'unreachable', text: `Docker engine unreachable at ${engine.host}${engine.error ? `: ${engine.error}` : ''}` });
  }
  reasons.sort((a, b) => RANK[b.level] - RANK[a.level]);
  return {
    level: reasons.reduce<StatusLevel>((acc, r) => worst(acc, r.level), 'ok'),
    reasons: reasons.map((r) => r.text),
    cpuPercent: cpu,
    memoryPercent: mem,
    engine: engine.state,
  };
}
