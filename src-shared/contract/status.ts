import { z } from 'zod';
import { event, request } from './define';

export type StatusLevel = 'ok' | 'warning' | 'critical' | 'unreachable';

/** The one verdict the tray icon and the header show. */
export interface OverallStatus {
  level: StatusLevel;
  /** Worded for a person, worst first; empty when all is well. */
  reasons: string[];
  cpuPercent: number | null;
  memoryPercent: number | null;
  engine: 'connecting' | 'connected' | 'unreachable';
  /** Mean utilisation over the GPUs that report it; null without GPUs. */
  gpuUtilPercent?: number | null;
  /** VRAM used over all GPUs, % of their total; null where unknown. */
  vramPercent?: number | null;
  /** Running managed containers. */
  containersRunning?: number;
}

export const statusRequests = {
  'status.get': request(z.object({}).strict()).returns<OverallStatus>(),
};
export const statusEvents = {
  'status.changed': event<OverallStatus>(),
};
