// images.* and registries.* → the Docker service's images (pulls journal who asked: CallContext.actor).
import type { imagesRequests } from '@shared/contract/images';
import type { DockerService } from '../core/docker/service';
import type { DomainHandlers } from './domain';

export function imageHandlers(s: { docker: DockerService }): DomainHandlers<typeof imagesRequests> {
  const { docker } = s;
  return {
    'images.list': ({ engine }) => docker.images.list(docker.engines.get(engine)),
    'images.remove': ({ ref, engine, force }) => docker.images.remove(docker.engines.get(engine), ref, force),
    'images.pull': ({ ref, engine }, ctx) => docker.images.pull(docker.engines.get(engine), ref, ctx.actor),
    'registries.list': () => docker.images.logins(),
    'registries.login': ({ registry, username, secret }) => docker.images.login(registry, username, secret),
    'registries.logout': ({ registry }) => ({ removed: docker.images.logout(registry) }),
  };
}
