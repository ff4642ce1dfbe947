import type { JournalSettings as JS } from '@shared/contract';
import { useLive } from '../../store/live';
import { NumberSettings } from './NumberSettings';

const FIELDS = [
  ['retentionDays', 'Keep events (days)'],
  ['maxRows', 'Keep at most (events)'],
] as const satisfies readonly (readonly [keyof JS, string])[];

/** How long the events journal keeps its rows, and how many at most. */
export function JournalSettings() {
  const values = useLive((s) => s.settings?.journal);
  return <NumberSettings title="Events journal" testId="journal-settings" fields={FIELDS} values={values} patch={(journal) => ({ journal })} />;
}
