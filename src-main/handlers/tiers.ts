// models.* and tiers.*: the tier manager (core/tiers). The caller's connection says who asks
// ('user' from the app and serve, 'cli' over the control socket): manual moves and limit changes are
// journaled with it, and moves it asks for are manual_scale events.
import type { MoveTrigger } from '@shared/contract';
import type { tiersRequests } from '@shared/contract/tiers';
import type { CallContext } from '../connection';
import type { TierManager } from '../core/tiers/manager';
import type { ProxyService } from '../core/tiers/proxy-service';
import type { DomainHandlers } from './domain';

/** A person's trigger: the CLI's, or the app's and the browser's. */
const who = (ctx: CallContext): 'user' | 'cli' => (ctx.actor === 'cli' ? 'cli' : 'user');

export function tiersHandlers(s: { tiers: TierManager; tierProxy: ProxyService }): DomainHandlers<typeof tiersRequests> {
  const { tiers, tierProxy } = s;
  return {
    'models.list': () => tiers.list(),
    'models.add': ({ model, tier }, ctx) => tiers.add(model, tier, who(ctx) satisfies MoveTrigger),
    'models.update': ({ name, patch }) => tiers.update(name, patch),
    'models.remove': ({ name, force }, ctx) => tiers.remove(name, force, who(ctx)),
    'tiers.status': () => tiers.status(),
    'tiers.move': ({ model, to, wait }, ctx) => tiers.move(model, to, who(ctx), wait),
    'tiers.ensure': ({ model }) => tiers.ensure(model),
    'tiers.jobs': (filter) => tiers.jobs(filter),
    'tiers.job': ({ id }) => tiers.job(id),
    'tiers.limits': () => tiers.limits(),
    'tiers.setLimits': ({ patch }, ctx) => tiers.setLimits(patch, who(ctx)),
    'tiers.select': (input) => tiers.select(input),
    'tiers.optimize': ({ apply }) => tiers.optimize(apply),
    'tiers.scalingEvents': (filter) => tiers.scalingEvents(filter),
    'tiers.proxyStatus': () => tierProxy.status(),
    'tiers.proxyNewToken': () => tierProxy.newToken(),
  };
}
