// The health verdict of one container from its figures: pure and cheap (benchmarked as
// health.evaluate_us), so it can run on every check of every container.
import type { ContainerState, HealthSettings, HealthState, ProbeResult } from '@shared/contract';

export interface HealthFacts {
  state: ContainerState;
  exitCode: number | null;
  oomKilled: boolean;
  /** A stop or kill was asked for (by us or the docker CLI) since the container last started. */
  stoppedOnPurpose: boolean;
  restartsInWindow: number;
  /** Docker HEALTHCHECK status, when the image has one. */
  dockerHealth: string | null;
  cpuPercent: number | null;
  memoryPercent: number | null;
  probe: ProbeResult | null;
  /** Why the container's probe label cannot be used ("probe label invalid: …"), when it cannot. */
  probeProblem?: string | null;
}

export interface Verdict {
  state: HealthState;
  reasons: string[];
}


export function evaluate(f: HealthFacts, s: HealthSettings): Verdict {
  const critical: string[] = [];
  const warning: string[] = [];
  if (f.oomKilled) critical.push('killed for running out of memory (OOM): raise its memory limit or lower its batch size');

  const running = f.state === 'running' || f.state === 'paused' || f.state === 'restarting';
  if (!running) {
    // 143 = ended by SIGTERM, which is how `docker stop` asks (also while the app was not watching).
    const asked = f.stoppedOnPurpose || f.exitCode === 143;
    if (!f.oomKilled && f.exitCode !== null && f.exitCode !== 0 && !asked) critical.push(`exited with code ${f.exitCode} without being asked to stop`);
    if (critical.length) return { state: 'critical', reasons: critical };
    const why = asked ? 'stopped on request' : f.state === 'created' ? 'created, not started' : `exited with code ${f.exitCode ?? 0}`;
    return { state: 'stopped', reasons: [why] };
  }

  if (f.probe && !f.probe.ok) critical.push(`${f.probe.kind.toUpperCase()} probe on ${f.probe.target} failed: ${f.probe.error ?? 'no answer'}`);
  if (f.dockerHealth === 'unhealthy') critical.push('its Docker HEALTHCHECK reports unhealthy');
  if (f.restartsInWindow >= s.restartsCritical) critical.push(`restarted ${f.restartsInWindow} times in ${s.restartWindowMinutes} min (critical at ${s.restartsCritical})`);
  else if (f.restartsInWindow > 0) warning.push(`restarted ${f.restartsInWindow} time${f.restartsInWindow > 1 ? 's' : ''} in ${s.restartWindowMinutes} min`);
  if (f.probeProblem) warning.push(f.probeProblem);
  if (f.state === 'restarting') warning.push('restarting');
  if (f.state === 'paused') warning.push('paused');

  const judge = (label: string, v: number | null, warn: number, crit: number) => {
    if (v === null) return;
    if (v >= crit) critical.push(`${label} at ${v.toFixed(0)} % of its limit (critical at ${crit} %)`);
    else if (v >= warn) warning.push(`${label} at ${v.toFixed(0)} % of its limit (warning at ${warn} %)`);
  };
  judge('memory', f.memoryPercent, s.memoryWarnPercent, s.memoryCriticalPercent);
  judge('CPU', f.cpuPercent, s.cpuWarnPercent, s.cpuCriticalPercent);

  if (critical.length) return { state: 'critical', reasons: [...critical, ...warning] };
  if (warning.length) return { state: 'warning', reasons: warning };
  return { state: 'healthy', reasons: [] };
}
