// What a connection hears: it subscribes to the events its pages use, by name from the closed set
// in events.ts. Events that belong to one connection (a log follow's lines) need no subscription.
import { z } from 'zod';
import { request } from './define';
import { EVENT_NAMES, type EventName } from './events';

const names = z
  .object({ names: z.array(z.enum(EVENT_NAMES, { error: (i) => `unknown event "${String(i.input).slice(0, 80)}"` })).min(1).max(EVENT_NAMES.length) })
  .strict();

export const subscriptionRequests = {
  /** Starts sending these events to the calling connection; returns every name it now subscribes to. */
  'events.subscribe': request(names).returns<{ subscribed: EventName[] }>(),
  /** Stops sending these events to the calling connection (names it never subscribed to are ignored). */
  'events.unsubscribe': request(names).returns<{ subscribed: EventName[] }>(),
};
