// health.* and alerts.* → the health service.
import type { healthRequests } from '@shared/contract/health';
import type { HealthService } from '../core/health/service';
import type { DomainHandlers } from './domain';

export function healthHandlers(s: { health: HealthService }): DomainHandlers<typeof healthRequests> {
  const { health } = s;
  return {
    'health.list': () => health.current(),
    'health.report': ({ id, hours }) => health.report(id, hours),
    'alerts.list': () => health.alerts(),
    'alerts.dismiss': ({ id }) => ({ dismissed: health.dismissAlert(id) }),
  };
}
