import type { PullProgress } from '@shared/contract';

/**
 * The pull a launch started: among the pulls of `pullName` (any tag), the one that changed since the
 * launch began (`before`: the pulls as they were then; each event replaces its pull's object), so a
 * finished pull of an earlier launch is never shown as this one's. Undefined while none has.
 */
export function launchPull(pulls: Record<string, PullProgress>, before: Record<string, PullProgress>, pullName: string): PullProgress | undefined {
  return Object.values(pulls).find((p) => p.ref.startsWith(`${pullName}:`) && before[p.ref] !== p);
}
