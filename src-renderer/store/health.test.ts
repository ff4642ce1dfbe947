import { describe, expect, it } from 'vitest';
import type { Alert, ContainerHealth } from '@shared/contract';
import { applyHealth, dismissAlert, keepAlerts, loadedAlerts, raiseAlert, type HealthState } from './health';

const judged = (id: string, state: ContainerHealth['state'], reasons: string[] = []): ContainerHealth => ({
  id,
  name: `c-${id}`,
  engine: 'local',
  project: null,
  state,
  reasons,
  since: 1000,
  checkedAt: 2000,
  probe: null,
});
const alert = (id: number, containerId: string, ts: number, level: Alert['level']): Alert => ({
  id,
  ts,
  containerId,
  container: `c-${containerId}`,
  from: 'healthy',
  to: level === 'info' ? 'healthy' : level,
  level,
  message: `c-${containerId} is ${level}`,
});
const empty: HealthState = { byId: {}, alerts: [] };

describe('health store reducers', () => {
  it('health.changed replaces every judgement: a container no longer judged leaves', () => {
    const one = applyHealth(empty, [judged('a', 'healthy'), judged('b', 'warning', ['memory at 91% of its limit'])]);
    expect(Object.keys(one.byId).sort()).toEqual(['a', 'b']);
    expect(one.byId.b!.reasons).toEqual(['memory at 91% of its limit']);
    const two = applyHealth(one, [judged('a', 'stopped')]);
    expect(two.byId).toEqual({ a: judged('a', 'stopped') });
    expect(one.byId.a!.state).toBe('healthy'); // the old state is not touched
  });

  it('keeps the newest alert per container, drops recoveries, newest first', () => {
    expect(keepAlerts([alert(1, 'a', 10, 'warning'), alert(2, 'a', 20, 'critical'), alert(3, 'b', 15, 'warning')]).map((a) => a.id)).toEqual([2, 3]);
    // A recovery (info) newer than the warning clears that container's alert.
    expect(keepAlerts([alert(1, 'a', 10, 'warning'), alert(4, 'a', 30, 'info')])).toEqual([]);
    // An older event arriving late does not replace the newer one.
    expect(keepAlerts([alert(5, 'a', 5, 'critical'), alert(2, 'a', 20, 'warning')]).map((a) => a.id)).toEqual([2]);
  });

  it('a raised alert joins the loaded ones; a dismissed one leaves', () => {
    const loaded = loadedAlerts(empty, [alert(1, 'a', 10, 'warning')]);
    const raised = raiseAlert(loaded, alert(2, 'b', 20, 'critical'));
    expect(raised.alerts.map((a) => a.id)).toEqual([2, 1]);
    expect(raiseAlert(raised, alert(3, 'a', 30, 'info')).alerts.map((a) => a.id)).toEqual([2]);
    expect(dismissAlert(raised, 2).alerts.map((a) => a.id)).toEqual([1]);
    expect(dismissAlert(raised, 99).alerts).toEqual(raised.alerts);
  });
});
