// The whole contract: every request (domain.verb) and event (domain.noun), declared once and
// shared by the core, both transports and the renderer.
import type { z } from 'zod';
import { admissionRequests } from './admission';
import { appRequests } from './app';
import { backupsRequests } from './backups';
import { catalogRequests } from './catalog';
import { catalogLaunchRequests } from './catalog-launch';
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
import { tiersRequests } from './tiers';

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
  ...admissionRequests,
  ...tiersRequests,
  ...catalogRequests,
  ...catalogLaunchRequests,
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

export type * from './admission';
export type * from './app';
export type * from './backups';
export type * from './catalog';
export type * from './catalog-launch';
export type * from './container-stats';
export type * from './containers';
export type * from './engine';
export type * from './health';
export type * from './images';
export type * from './journal';
export type * from './metrics';
export type * from './settings';
export type * from './status';
export type * from './tiers';
export { DEFAULT_SETTINGS, settingsSchema, settingsPatchSchema } from './settings';
export { launchSchema } from './containers';
export { ACTORS, JOURNAL_ACTORS } from './journal';
export { engineAddSchema } from './engine';
export { ADMISSION_MODES, ADMISSION_CHECK_IDS, ADMISSION_OUTCOMES, DEFAULT_ADMISSION_POLICY, admissionPolicySchema } from './admission';
export { TIERS, JOB_STATES, SCALING_EVENT_TYPES, MOVE_TRIGGERS, PRIORITIES, SELECTION_MODES, modelSpecSchema } from './tiers';
export { ARCHITECTURES, CATALOG_SOURCES, catalogDocumentSchema, MAX_CATALOG_IMPORT_CHARS } from './catalog';
export { launchOverridesSchema, RECENT_LAUNCHES } from './catalog-launch';
