import type { ContainerHealth, EngineStatus, MetricsSnapshot, OverallStatus, StatusLevel, Thresholds } from '@shared/contract';

const RANK: Record<StatusLevel, number> = { ok: 0, warning: 1, critical: 2, unreachable: 3 };
export const worst = (a: StatusLevel, b: StatusLevel): StatusLevel => (RANK[b] > RANK[a] ? b : a);

/** Throttle reasons that mean the hardware is protecting itself, not an idle or capped GPU. */
const HW_THROTTLE = ['HwSlowdown', 'HwThermalSlowdown', 'HwPowerBrakeSlowdown'];

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

/**
 * The single verdict the tray and the header show: pure, from the latest facts. The level is the
 * worst of: host CPU and memory against their thresholds, each GPU (a faulted or lost GPU is critical
 * in nvidia-smi's words, temperature thresholds, uncorrected ECC errors are critical, hardware slowdown
 * and a restarting nvidia-smi warn), each
 * managed container's health (critical → critical, warning → warning), and the engine (unreachable).
 */
export function overallStatus(
  snapshot: MetricsSnapshot | undefined,
  engine: EngineStatus,
  t: Thresholds,
  containers: ContainerHealth[] = [],
): OverallStatus {
  const reasons: { level: StatusLevel; text: string }[] = [];
  const cpu = snapshot?.host.cpu.percent ?? null;
  const mem = snapshot?.host.memory.percent ?? null;
  const judge = (label: string, value: number | null, warn: number, crit: number, unit = ' %') => {
    if (value === null) return;
    if (value >= crit) reasons.push({ level: 'critical', text: `${label} at ${value.toFixed(0)}${unit} (critical at ${crit}${unit})` });
    else if (value >= warn) reasons.push({ level: 'warning', text: `${label} at ${value.toFixed(0)}${unit} (warning at ${warn}${unit})` });
  };
  judge('CPU', cpu, t.cpuWarnPercent, t.cpuCriticalPercent);
  judge('Memory', mem, t.memoryWarnPercent, t.memoryCriticalPercent);

  const gpus = snapshot?.gpus ?? [];
  for (const g of gpus) {
    // A GPU nvidia-smi named only by bus id (never reported) has index -1 and is called by that bus id.
    const who = g.index >= 0 ? `GPU ${g.index} (${g.name})` : g.name;
    if (g.fault) {
      reasons.push({ level: 'critical', text: `${who} ${g.fault.kind === 'lost' ? 'lost' : 'fault'}: ${g.fault.message}` });
      continue; // its figures are null: nothing more to judge
    }
    judge(`${who} temperature`, g.temperatureC, t.gpuTempWarnC ?? 83, t.gpuTempCriticalC ?? 90, ' °C');
    if (g.eccUncorrectedVolatile) reasons.push({ level: 'critical', text: `${who} has ${g.eccUncorrectedVolatile} uncorrected ECC errors` });
    const hw = (g.throttleReasons ?? []).filter((r) => HW_THROTTLE.includes(r));
    if (hw.length) reasons.push({ level: 'warning', text: `${who} throttled by the hardware: ${hw.join(', ')}` });
  }
  if (snapshot?.gpuSource?.state === 'restarting') {
    reasons.push({ level: 'warning', text: `GPU figures interrupted: ${snapshot.gpuSource.error ?? 'nvidia-smi stopped'}; restarting it` });
  }

  for (const c of containers) {
    if (c.state === 'critical' || c.state === 'warning') {
      reasons.push({ level: c.state, text: `Container ${c.name} ${c.state}${c.reasons[0] ? `: ${c.reasons[0]}` : ''}` });
    }
  }
  if (engine.state === 'unreachable') {
    reasons.push({ level: 'unreachable', text: `Docker engine unreachable at ${engine.host}${engine.error ? `: ${engine.error}` : ''}` });
  }
  reasons.sort((a, b) => RANK[b.level] - RANK[a.level]);

  const util = mean(gpus.map((g) => g.utilizationGpu).filter((v): v is number => v !== null));
  const withVram = gpus.filter((g) => g.memoryUsedMiB !== null && g.memoryTotalMiB);
  const vramTotal = withVram.reduce((a, g) => a + g.memoryTotalMiB!, 0);
  return {
    level: reasons.reduce<StatusLevel>((acc, r) => worst(acc, r.level), 'ok'),
    reasons: reasons.map((r) => r.text),
    cpuPercent: cpu,
    memoryPercent: mem,
    engine: engine.state,
    gpuUtilPercent: util === null ? null : Math.round(util * 10) / 10,
    vramPercent: vramTotal ? Math.round((1000 * withVram.reduce((a, g) => a + g.memoryUsedMiB!, 0)) / vramTotal) / 10 : null,
    containersRunning: snapshot?.containers?.length ?? 0,
  };
}
