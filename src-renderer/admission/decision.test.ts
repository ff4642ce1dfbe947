import { describe, expect, it } from 'vitest';
import { AppError } from '@shared/errors';
import { blockingChecks, decisionTone, defaultMemoryNote, formatCheckValue, rejectedDecision, toneText } from './decision';
import { check, decision } from './test-fixtures';

const GiB = 1024 ** 3;

describe('admission decision for display', () => {
  it('is green when every check passes, amber when admitted with a failed or unknown check, red when refused', () => {
    expect(decisionTone(decision())).toBe('green');
    const unknown = decision({ checks: [check({ id: 'memory_percent' }), check({ id: 'gpu_memory', status: 'unknown', observed: null })] });
    expect(decisionTone(unknown)).toBe('amber');
    expect(toneText(unknown)).toBe('Would be admitted, with warnings');
    const audit = decision({ mode: 'audit', outcome: 'violation', wouldReject: true, checks: [check({ id: 'memory_percent', status: 'fail' })] });
    expect(decisionTone(audit)).toBe('amber');
    expect(toneText(audit, false)).toBe('Admitted (audit: the violation is recorded)');
    const dry = decision({ mode: 'dry_run', outcome: 'violation', wouldReject: true, checks: [check({ id: 'load', status: 'fail' })] });
    expect(toneText(dry)).toBe('Would be admitted (dry run: enforce would refuse it)');
    const refused = decision({ admitted: false, outcome: 'rejected', wouldReject: true, checks: [check({ id: 'memory_percent', status: 'fail' })] });
    expect(decisionTone(refused)).toBe('red');
    expect(toneText(refused)).toBe('Would be refused');
    expect(toneText(refused, false)).toBe('Refused');
  });

  it('formats each figure in its unit, and a missing one as unknown', () => {
    expect(formatCheckValue(91.04, 'percent')).toBe('91.0 %');
    expect(formatCheckValue(8 * GiB, 'bytes')).toBe('8.0 GiB');
    expect(formatCheckValue(0.5, 'cpus')).toBe('0.5 CPUs');
    expect(formatCheckValue(1, 'cpus')).toBe('1 CPU');
    expect(formatCheckValue(12.345, 'load')).toBe('12.35');
    expect(formatCheckValue(1, 'gpus')).toBe('1 GPU');
    expect(formatCheckValue(4, 'gpus')).toBe('4 GPUs');
    expect(formatCheckValue(3, 'containers')).toBe('3 containers');
    expect(formatCheckValue(null, 'bytes')).toBe('unknown');
    expect(formatCheckValue(Number.NaN, 'percent')).toBe('unknown');
  });

  it('lists what stands in the way (failed and unknown) in the decision’s order', () => {
    const d = decision({
      checks: [
        check({ id: 'gpu_exists', status: 'fail', canNeverFit: true }),
        check({ id: 'memory_percent', status: 'fail', remedy: 'stop `train-3` (6 GiB)' }),
        check({ id: 'gpu_memory', status: 'unknown' }),
        check({ id: 'cpu_percent' }),
      ],
    });
    expect(blockingChecks(d).map((c) => c.id)).toEqual(['gpu_exists', 'memory_percent', 'gpu_memory']);
  });

  it('reads the decision an ADMISSION_REJECTED error carries, and nothing from any other error', () => {
    const d = decision({ admitted: false, outcome: 'rejected' });
    expect(rejectedDecision(new AppError('ADMISSION_REJECTED', 'Refused', { decision: d }))).toBe(d);
    // As the client rebuilds it from the wire.
    expect(rejectedDecision(AppError.fromBody({ code: 'ADMISSION_REJECTED', message: 'Refused', details: { decision: d } }))).toEqual(d);
    expect(rejectedDecision(new AppError('CONFLICT', 'busy', { decision: d }))).toBeUndefined();
    expect(rejectedDecision(new AppError('ADMISSION_REJECTED', 'Refused'))).toBeUndefined();
    expect(rejectedDecision(new AppError('ADMISSION_REJECTED', 'Refused', { decision: { checks: 'no' } }))).toBeUndefined();
    expect(rejectedDecision(new Error('plain'))).toBeUndefined();
  });

  it('says when a launch without a memory limit was counted at the default', () => {
    expect(defaultMemoryNote(decision())).toBeNull();
    const none = decision();
    none.request = { ...none.request, memoryBytes: null, memoryCountedBytes: 2 * GiB };
    expect(defaultMemoryNote(none)).toBe('No memory limit given: counted at 2.0 GiB.');
  });
});
