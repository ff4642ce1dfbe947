// engine.get (the local engine's connection) and engines.* (the engines the app talks to).
import type { engineRequests, enginesRequests } from '@shared/contract/engine';
import type { EngineMonitor } from '../core/docker/engine-monitor';
import type { DockerService } from '../core/docker/service';
import type { DomainHandlers } from './domain';

export function engineHandlers(s: { engine: EngineMonitor; docker: DockerService }): DomainHandlers<typeof engineRequests & typeof enginesRequests> {
  return {
    'engine.get': () => s.engine.get(),
    'engines.list': () => s.docker.engines.list(),
    'engines.add': (spec) => s.docker.addEngine(spec),
    'engines.remove': ({ id }) => ({ removed: s.docker.removeEngine(id) }),
  };
}
