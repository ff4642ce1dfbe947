// The whole contract: every request (domain.verb) and event (domain.noun), declared once and
// shared by the core, both transports and the renderer.
import type { z } from 'zod';
import { appRequests } from './app';
import { backupsRequests } from './backups';
import type { RequestDef } from './define';
import { containersRequests } from './containers';
import { engineRequests, enginesRequests } from './engine';
import { healthRequests } from './health';
import { imagesRequests } from './images';
import { journalRequests } from './journal';
import { metricsRequests } from './metrics';
import { settingsRequests } from './settings';
import { statusRequests } from './status';
import { subscriptionRequests } from './subscriptions';

export const requests = {
  ...appRequests,
  ...settingsRequests,
  ...engineRequests,
  ...enginesRequests,
  ...containersRequests,
  ...imagesRequests,
  ...journalRequests,
  ...healthRequests,
  ...metricsRequests,
  ...statusRequests,
  ...backupsRequests,
  ...subscriptionRequests,
} satisfies Record<string, RequestDef>;

export { events, EVENT_NAMES, isEventName, CONNECTION_EVENT_NAMES } from './events';
export type { EventName, EventPayload, ConnectionEventName, BusEventName } from './events';

export type Requests = typeof requests;
export type RequestName = keyof Requests;

/** What the caller sends (before zod defaults and transforms). */
export type RequestInput<N extends RequestName> = z.input<Requests[N]['input']>;
/** What the handler receives (after validation). */
export type ParsedInput<N extends RequestName> = z.output<Requests[N]['input']>;
export type RequestOutput<N extends RequestName> = NonNullable<Requests[N]['output']>;

export const REQUEST_NAMES = Object.keys(requests) as RequestName[];
export const isRequestName = (n: unknown): n is RequestName =>
  typeof n === 'string' && Object.prototype.hasOwnProperty.call(requests, n);

export type * from './app';
export type * from './backups';
export type * from './container-stats';
export type * from './containers';
export type * from './engine';
export type * from './health';
export type * from './images';
export type * from './journal';
export type * from './metrics';
export type * from './settings';
export type * from './status';
export { DEFAULT_SETTINGS, settingsSchema, settingsPatchSchema } from './settings';
export { launchSchema } from './containers';
export { ACTORS, JOURNAL_ACTORS } from './journal';
export { engineAddSchema } from './engine';
