// Work nobody awaits (a judgement on a Docker event, a timer's check, a tool's start) still ends
// somewhere: its failure is journaled, or logged where no journal is at hand — never an unhandled
// rejection, which would end the process.
import { log } from './log';
import type { EventRecord } from './store/events';

/** What fireAndForget needs of the journal (src-main/core/store/events.ts): its `record`. */
export interface Journal {
  record(e: EventRecord): unknown;
}

/** The journal's event type of a failed background task; `details.task` names the task. */
export const BACKGROUND_FAILED = 'background.failed';

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * Tells of one failure of background work: journaled as a `background.failed` event with error
 * "<what>: <message>" and details { task: what } when `journal` is given, else logged at warn level;
 * a journal that cannot write (its database already closed) falls back to the log. Never throws.
 */
export function reportFailure(e: unknown, what: string, journal?: Journal): void {
  const message = messageOf(e);
  if (journal) {
    try {
      journal.record({ type: BACKGROUND_FAILED, outcome: 'error', error: `${what}: ${message}`, details: { task: what } });
      return;
    } catch (je) {
      log.warn('could not journal a background failure', { task: what, message: messageOf(je) });
    }
  }
  log.warn(`${what} failed`, { message });
}

/**
 * Lets `work` run without awaiting it. `work` is a promise (or undefined / a plain value, for optional
 * calls such as `gpu?.start()`: nothing to watch then); when it rejects, reportFailure() tells of it.
 * Never throws, never rejects.
 */
export function fireAndForget(work: unknown, what: string, journal?: Journal): void {
  if (!work || typeof (work as PromiseLike<unknown>).then !== 'function') return;
  (work as PromiseLike<unknown>).then(undefined, (e: unknown) => reportFailure(e, what, journal));
}
