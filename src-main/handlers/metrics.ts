// metrics.recent (the sampler's live window) and metrics.series / metrics.history (the metrics store).
import type { metricsRequests } from '@shared/contract/metrics';
import type { MetricsService } from '../core/metrics/service';
import type { Sampler } from '../core/sampler';
import type { DomainHandlers } from './domain';

export function metricsHandlers(s: { sampler: Sampler; metrics: MetricsService }): DomainHandlers<typeof metricsRequests> {
  return {
    'metrics.recent': ({ seconds }) => s.sampler.recent(seconds),
    'metrics.series': ({ prefix }) => s.metrics.series(prefix),
    'metrics.history': (input) => s.metrics.history(input),
  };
}
