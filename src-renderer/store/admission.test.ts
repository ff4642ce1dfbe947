import { describe, expect, it } from 'vitest';
import { DEFAULT_ADMISSION_POLICY, type AdmissionPolicy } from '@shared/contract';
import { decision } from '../admission/test-fixtures';
import { applyAudit, applyPolicy, decided, DECISIONS_SHOWN, loadedDecisions, matchesFilters, NO_FILTERS, setFilters, type AdmissionState } from './admission';

const empty: AdmissionState = { filters: NO_FILTERS };
const policy = (mode: AdmissionPolicy['mode']): AdmissionPolicy => ({ ...DEFAULT_ADMISSION_POLICY, mode, updatedAt: null, updatedBy: null });

describe('admission store reducers', () => {
  it('the policy read or pushed replaces the one shown (the header’s mode)', () => {
    const one = applyPolicy(empty, policy('enforce'));
    expect(applyPolicy(one, policy('dry_run')).policy?.mode).toBe('dry_run');
    expect(one.policy?.mode).toBe('enforce');
  });

  it('an audit pass replaces the last; an older pass arriving late does not', () => {
    const first = applyAudit(empty, { at: 2000, findings: [] });
    const finding = { kind: 'quota' as const, project: 'p', containers: [], sentence: 'p holds 4 containers, its quota is 3' };
    expect(applyAudit(first, { at: 3000, findings: [finding] }).audit?.findings).toEqual([finding]);
    expect(applyAudit(first, { at: 1000, findings: [finding] })).toBe(first);
    expect(applyAudit(empty, { at: null, findings: [] }).audit).toEqual({ at: null, findings: [] });
  });

  it('filters by outcome, project and who asked', () => {
    const d = decision({ outcome: 'rejected', actor: 'cli' });
    expect(matchesFilters(d, NO_FILTERS)).toBe(true);
    expect(matchesFilters(d, { ...NO_FILTERS, outcome: 'rejected' })).toBe(true);
    expect(matchesFilters(d, { ...NO_FILTERS, outcome: 'admitted' })).toBe(false);
    expect(matchesFilters(d, { ...NO_FILTERS, project: 'default', actor: 'cli' })).toBe(true);
    expect(matchesFilters(d, { ...NO_FILTERS, project: 'other' })).toBe(false);
    expect(matchesFilters(d, { ...NO_FILTERS, actor: 'user' })).toBe(false);
  });

  it('a list read for filters no longer set is dropped', () => {
    const rejectedOnly = { ...NO_FILTERS, outcome: 'rejected' as const };
    const s = setFilters(empty, rejectedOnly);
    expect(s.decisions).toBeUndefined();
    expect(loadedDecisions(s, NO_FILTERS, [decision()])).toBe(s);
    expect(loadedDecisions(s, rejectedOnly, [decision({ id: 7, outcome: 'rejected' })]).decisions?.map((d) => d.id)).toEqual([7]);
    // The same filters again keep the list shown.
    const loaded = loadedDecisions(s, rejectedOnly, [decision({ id: 7 })]);
    expect(setFilters(loaded, { ...rejectedOnly })).toBe(loaded);
  });

  it('a recorded decision joins the list first when it matches, replaces its own row, and waits for the first load', () => {
    expect(decided(empty, decision())).toBe(empty); // not loaded yet: the load will bring it
    const s = loadedDecisions(setFilters(empty, { ...NO_FILTERS, outcome: 'rejected' }), { ...NO_FILTERS, outcome: 'rejected' }, [decision({ id: 1, outcome: 'rejected' })]);
    expect(decided(s, decision({ id: 2, outcome: 'admitted' }))).toBe(s);
    const two = decided(s, decision({ id: 3, outcome: 'rejected' }));
    expect(two.decisions?.map((d) => d.id)).toEqual([3, 1]);
    const again = decided(two, decision({ id: 1, outcome: 'rejected', reservation: 'released' }));
    expect(again.decisions?.map((d) => [d.id, d.reservation])).toEqual([
      [3, undefined],
      [1, 'released'],
    ]);
  });

  it('keeps at most the newest DECISIONS_SHOWN', () => {
    const many = Array.from({ length: DECISIONS_SHOWN }, (_, i) => decision({ id: i + 1 }));
    const s = decided(loadedDecisions(empty, NO_FILTERS, many), decision({ id: 9999 }));
    expect(s.decisions).toHaveLength(DECISIONS_SHOWN);
    expect(s.decisions![0]!.id).toBe(9999);
    expect(s.decisions!.at(-1)!.id).toBe(DECISIONS_SHOWN - 1);
  });
});
