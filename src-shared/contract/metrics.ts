import { z } from 'zod';
import { event, request } from './define';

/** The host at one instant. Bytes are bytes; percentages are 0–100. */
export interface HostSample {
  cpu: { percent: number; perCore: number[]; cores: number };
  memory: { total: number; used: number; available: number; percent: number };
  swap: { total: number; used: number };
  load: [number, number, number];
}

/** One sampler tick. */
export interface MetricsSnapshot {
  ts: number;
  host: HostSample;
}

export const metricsRequests = {
  /** The in-memory ring of recent snapshots (live charts before the first event arrives). */
  'metrics.recent': request(z.object({ seconds: z.number().int().min(1).max(3600).optional() }).strict()).returns<
    MetricsSnapshot[]
  >(),
};
export const metricsEvents = {
  'metrics.snapshot': event<MetricsSnapshot>(),
};
