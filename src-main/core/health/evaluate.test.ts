import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '@shared/contract';
import { evaluate, type HealthFacts } from './evaluate';

const s = DEFAULT_SETTINGS.health;
const base: HealthFacts = { state: 'running', exitCode: null, oomKilled: false, stoppedOnPurpose: false, restartsInWindow: 0, dockerHealth: null, cpuPercent: 10, memoryPercent: 10, probe: null };

describe('evaluate', () => {
  it.each<[string, Partial<HealthFacts>, string, RegExp | null]>([
    ['a quiet running container', {}, 'healthy', null],
    ['no stats yet', { cpuPercent: null, memoryPercent: null }, 'healthy', null],
    ['memory near its limit', { memoryPercent: 90 }, 'warning', /memory at 90 % of its limit \(warning at 85 %\)/],
    ['memory at its limit', { memoryPercent: 97 }, 'critical', /memory at 97 % .*critical at 95 %/],
    ['CPU pinned at its limit', { cpuPercent: 100 }, 'critical', /CPU at 100 %/],
    ['one restart', { restartsInWindow: 1 }, 'warning', /restarted 1 time in 10 min/],
    ['a crash loop', { restartsInWindow: 3 }, 'critical', /restarted 3 times in 10 min \(critical at 3\)/],
    ['HEALTHCHECK unhealthy', { dockerHealth: 'unhealthy' }, 'critical', /HEALTHCHECK reports unhealthy/],
    ['HEALTHCHECK starting', { dockerHealth: 'starting' }, 'healthy', null],
    ['a failed probe', { probe: { ok: false, kind: 'http', target: 'http://127.0.0.1:1/', ms: 500, error: 'no answer within 500 ms' } }, 'critical', /HTTP probe on http:\/\/127\.0\.0\.1:1\/ failed: no answer/],
    ['paused', { state: 'paused' }, 'warning', /paused/],
    ['OOM-killed', { state: 'exited', exitCode: 137, oomKilled: true }, 'critical', /out of memory \(OOM\)/],
    ['crashed', { state: 'exited', exitCode: 2 }, 'critical', /exited with code 2 without being asked/],
    ['stopped by the user', { state: 'exited', exitCode: 137, stoppedOnPurpose: true }, 'stopped', /stopped on request/],
    ['stopped with SIGTERM while unobserved', { state: 'exited', exitCode: 143 }, 'stopped', /stopped on request/],
    ['killed with SIGKILL while unobserved', { state: 'exited', exitCode: 137 }, 'critical', /exited with code 137 without being asked/],
    ['finished its work', { state: 'exited', exitCode: 0 }, 'stopped', /exited with code 0/],
    ['created only', { state: 'created' }, 'stopped', /created, not started/],
  ])('%s → %s', (_what, facts, state, reason) => {
    const v = evaluate({ ...base, ...facts }, s);
    expect(v.state).toBe(state);
    if (reason) expect(v.reasons.join('; ')).toMatch(reason);
    else expect(v.reasons).toEqual([]);
  });
  it('puts critical reasons before warnings', () => {
    const v = evaluate({ ...base, memoryPercent: 90, probe: { ok: false, kind: 'tcp', target: '127.0.0.1:1', ms: 1, error: 'ECONNREFUSED' } }, s);
    expect(v.state).toBe('critical');
    expect(v.reasons).toEqual([expect.stringMatching(/^TCP probe/), expect.stringMatching(/^memory at 90/)]);
  });
});
