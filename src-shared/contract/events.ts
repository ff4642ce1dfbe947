// Every event the core sends to its connections, declared once. Most go on the core's bus to each
// connection subscribed to them (`events.subscribe`); a few belong to one connection only.
import { admissionEvents } from './admission';
import { backupsEvents } from './backups';
import { catalogEvents } from './catalog';
import { catalogLaunchEvents } from './catalog-launch';
import { containersEvents } from './containers';
import type { EventDef } from './define';
import { engineEvents, enginesEvents } from './engine';
import { healthEvents } from './health';
import { imagesEvents } from './images';
import { metricsEvents } from './metrics';
import { settingsEvents } from './settings';
import { statusEvents } from './status';
import { tiersEvents } from './tiers';

export const events = {
  ...settingsEvents,
  ...engineEvents,
  ...enginesEvents,
  ...containersEvents,
  ...imagesEvents,
  ...healthEvents,
  ...metricsEvents,
  ...statusEvents,
  ...backupsEvents,
  ...admissionEvents,
  ...catalogEvents,
  ...catalogLaunchEvents,
  ...tiersEvents,
} satisfies Record<string, EventDef>;

export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = NonNullable<(typeof events)[E]['payload']>;

export const EVENT_NAMES = Object.keys(events) as [EventName, ...EventName[]];
export const isEventName = (n: unknown): n is EventName => typeof n === 'string' && Object.prototype.hasOwnProperty.call(events, n);

/**
 * Events sent only to the connection whose request opened their stream (the lines of a log follow
 * go to the tab that follows), whether it subscribed or not; never on the bus, so no other
 * connection gets them.
 */
export const CONNECTION_EVENT_NAMES = ['logs.lines'] as const satisfies readonly EventName[];
export type ConnectionEventName = (typeof CONNECTION_EVENT_NAMES)[number];
/** Events on the core's bus, each sent to every connection subscribed to it. */
export type BusEventName = Exclude<EventName, ConnectionEventName>;
