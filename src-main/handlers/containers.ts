// containers.* and logs.*: launch, start, unpause and restart pass the lifecycle gate (core/lifecycle);
// the rest go to the Docker service. The caller's connection says who acts (CallContext.actor: 'user'
// from the app and serve, 'cli' over the control socket) and receives the lines of the follows it opens.
import { AppError } from '@shared/errors';
import type { containersRequests } from '@shared/contract/containers';
import type { DockerService } from '../core/docker/service';
import type { Lifecycle } from '../core/lifecycle/service';
import type { DomainHandlers } from './domain';

export function containerHandlers(s: { docker: DockerService; lifecycle: Lifecycle }): DomainHandlers<typeof containersRequests> {
  const { docker, lifecycle } = s;
  const on = (engine?: string) => docker.engines.get(engine);
  return {
    'containers.list': ({ engine, all }) => docker.containers.list(on(engine), all),
    // The detail page's read: the one that looks for Jupyter's link in the logs.
    'containers.inspect': ({ id, engine }) => docker.containers.inspect(on(engine), id, { jupyter: true }),
    'containers.launch': (spec, ctx) => lifecycle.launch(on(spec.engine), spec, ctx.actor),
    'containers.start': ({ id, engine }, ctx) => lifecycle.operate(on(engine), id, 'start', ctx.actor),
    'containers.unpause': ({ id, engine }, ctx) => lifecycle.operate(on(engine), id, 'unpause', ctx.actor),
    'containers.restart': ({ id, engine, timeoutSeconds }, ctx) => lifecycle.operate(on(engine), id, 'restart', ctx.actor, timeoutSeconds),
    'containers.stop': ({ id, engine, timeoutSeconds }, ctx) => docker.containers.operate(on(engine), id, 'stop', timeoutSeconds, ctx.actor),
    'containers.pause': ({ id, engine }, ctx) => docker.containers.operate(on(engine), id, 'pause', undefined, ctx.actor),
    'containers.remove': ({ id, engine, force }, ctx) => docker.containers.remove(on(engine), id, force, ctx.actor),
    'containers.stats': () => docker.latestStats(),
    'logs.tail': ({ id, engine, tail, timestamps }) => docker.tailLogs(engine, id, tail, timestamps),
    'logs.follow': async ({ id, engine, tail }, ctx) => {
      // The lines go to the connection that follows, and to no other.
      const to = ctx.events;
      if (!to) throw new AppError('UNSUPPORTED', "logs.follow needs a connection that receives its lines (the app's window, a WebSocket or the control socket); over plain HTTP use logs.tail");
      const followId = await docker.followLogs(engine, id, tail, (payload) => to.emit('logs.lines', payload));
      // A tab closed without unfollowing must not keep the Docker log stream open.
      ctx.onDisconnect(() => docker.unfollowLogs(followId));
      return { followId };
    },
    'logs.unfollow': ({ followId }) => ({ stopped: docker.unfollowLogs(followId) }),
  };
}
