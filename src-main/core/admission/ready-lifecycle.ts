// The lifecycle gate with admission's facts made ready before each operation: the engine's running
// list answered once, a snapshot fresh enough (a core that never sampled starts its sampler). The
// gate itself still decides and reserves synchronously, before its own first await; what is awaited
// here comes before it and decides nothing.
import type { Lifecycle } from '../lifecycle/service';
import type { Admission } from './service';

export function withReadyFacts(lifecycle: Lifecycle, admission: Pick<Admission, 'ready'>): Lifecycle {
  return {
    async launch(engine, spec, actor, options) {
      await admission.ready(engine, !!spec.gpus);
      return lifecycle.launch(engine, spec, actor, options);
    },
    async operate(engine, id, op, actor, timeoutSeconds) {
      await admission.ready(engine, true);
      return lifecycle.operate(engine, id, op, actor, timeoutSeconds);
    },
  };
}
