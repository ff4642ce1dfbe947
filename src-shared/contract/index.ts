// The whole contract: every request (domain.verb) and event (domain.noun), declared once and
// shared by the core, both transports and the renderer.
import type { z } from 'zod';
import { appRequests } from './app';
import { backupsEvents, backupsRequests } from './backups';
import type { EventDef, RequestDef } from './define';
import { containersEvents, containersRequests } from './containers';
import { engineEvents, engineRequests, enginesEvents, enginesRequests } from './engine';
import { healthEvents, healthRequests } from './health';
import { imagesEvents, imagesRequests } from './images';
import { journalRequests } from './journal';
import { metricsEvents, metricsRequests } from './metrics';
import { settingsEvents, settingsRequests } from './settings';
import { statusEvents, statusRequests } from './status';

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
} satisfies Record<string, RequestDef>;

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
} satisfies Record<string, EventDef>;

export type Requests = typeof requests;
export type RequestName = keyof Requests;
export type EventName = keyof typeof events;

/** What the caller sends (before zod defaults and transforms). */
export type RequestInput<N extends RequestName> = z.input<Requests[N]['input']>;
/** What the handler receives (after validation). */
export type ParsedInput<N extends RequestName> = z.output<Requests[N]['input']>;
export type RequestOutput<N extends RequestName> = NonNullable<Requests[N]['output']>;
export type EventPayload<E extends EventName> = NonNullable<(typeof events)[E]['payload']>;

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
export { engineAddSchema } from './engine';
