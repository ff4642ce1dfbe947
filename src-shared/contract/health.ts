import { z } from 'zod';
import { event, request } from './define';
import { containerRef } from './refs';

export type HealthState = 'healthy' | 'warning' | 'critical' | 'stopped';

export interface ProbeResult {
  ok: boolean;
  kind: 'tcp' | 'http';
  target: string;
  ms: number;
  error?: string;
}

/** One container's judgement: the state and why. */
export interface ContainerHealth {
  id: string;
  name: string;
  engine: string;
  project: string | null;
  state: HealthState;
  /** Worded for a person, worst first; empty when healthy. */
  reasons: string[];
  /** When it entered this state. */
  since: number;
  checkedAt: number;
  probe: ProbeResult | null;
}

export interface HealthReport {
  current: ContainerHealth;
  history: { ts: number; state: HealthState; reasons: string[] }[];
}

export interface Alert {
  id: number;
  ts: number;
  containerId: string;
  container: string;
  from: HealthState | null;
  to: HealthState;
  level: 'info' | 'warning' | 'critical';
  message: string;
}

export const healthRequests = {
  'health.list': request(z.object({}).strict()).returns<ContainerHealth[]>(),
  'health.report': request(z.object({ id: containerRef, hours: z.number().min(1).max(24 * 30).default(24) }).strict()).returns<HealthReport>(),
  'alerts.list': request(z.object({}).strict()).returns<Alert[]>(),
  'alerts.dismiss': request(z.object({ id: z.number().int() }).strict()).returns<{ dismissed: boolean }>(),
};
export const healthEvents = {
  'health.changed': event<ContainerHealth[]>(),
  'alerts.raised': event<Alert>(),
};
