// `events.subscribe` / `events.unsubscribe`: a connection chooses the bus events it hears.
import { AppError } from '@shared/errors';
import type { subscriptionRequests } from '@shared/contract/subscriptions';
import type { CallContext, ConnectionEvents } from '../connection';
import type { DomainHandlers } from './domain';

/** The caller's events, or UNSUPPORTED in words where its transport cannot receive any. */
function eventsOf(ctx: CallContext, request: string): ConnectionEvents {
  if (ctx.events) return ctx.events;
  throw new AppError('UNSUPPORTED', `${request} needs a connection that receives events (the app's window, a WebSocket or the control socket), not a single HTTP call`);
}

export const subscriptionHandlers: DomainHandlers<typeof subscriptionRequests> = {
  'events.subscribe': ({ names }, ctx) => ({ subscribed: eventsOf(ctx, 'events.subscribe').subscribe(names) }),
  'events.unsubscribe': ({ names }, ctx) => ({ subscribed: eventsOf(ctx, 'events.unsubscribe').unsubscribe(names) }),
};
