// status.get → the overall status the core keeps (core/status.ts computes it).
import type { OverallStatus } from '@shared/contract';
import type { statusRequests } from '@shared/contract/status';
import type { DomainHandlers } from './domain';

export function statusHandlers(s: { getStatus(): OverallStatus }): DomainHandlers<typeof statusRequests> {
  return { 'status.get': () => s.getStatus() };
}
