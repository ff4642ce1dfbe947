// events.list → the journal (the Events page).
import type { journalRequests } from '@shared/contract/journal';
import type { EventLog } from '../core/store/events';
import type { DomainHandlers } from './domain';

export function journalHandlers(s: { events: Pick<EventLog, 'query'> }): DomainHandlers<typeof journalRequests> {
  return { 'events.list': (q) => s.events.query(q) };
}
