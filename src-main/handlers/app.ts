// app.info → the running core's description.
import type { AppInfo } from '@shared/contract';
import type { appRequests } from '@shared/contract/app';
import type { DomainHandlers } from './domain';

export function appHandlers(app: { info(): AppInfo }): DomainHandlers<typeof appRequests> {
  return { 'app.info': () => app.info() };
}
