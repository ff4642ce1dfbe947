// The contract's requests that pass the lifecycle gate, mapped to it: the caller's connection says
// who acts (CallContext.actor: 'user' from the app and serve, 'cli' over the control socket).
import type { Handlers } from '../../router';
import type { Engine } from '../docker/engines';
import type { Lifecycle } from './service';

export function lifecycleHandlers(lifecycle: Lifecycle, engines: { get(id?: string): Engine }) {
  return {
    'containers.launch': (spec, ctx) => lifecycle.launch(engines.get(spec.engine), spec, ctx.actor),
    'containers.start': ({ id, engine }, ctx) => lifecycle.operate(engines.get(engine), id, 'start', ctx.actor),
    'containers.unpause': ({ id, engine }, ctx) => lifecycle.operate(engines.get(engine), id, 'unpause', ctx.actor),
    'containers.restart': ({ id, engine, timeoutSeconds }, ctx) => lifecycle.operate(engines.get(engine), id, 'restart', ctx.actor, timeoutSeconds),
  } satisfies Partial<Handlers>;
}
