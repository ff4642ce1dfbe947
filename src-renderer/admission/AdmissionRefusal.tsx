import type { AdmissionDecision } from '@shared/contract';
import { CheckList } from './CheckList';
import { blockingChecks } from './decision';

/**
 * A refused launch (ADMISSION_REJECTED): the decision's sentence, then every check that failed (or
 * whose figures were missing), each with its numbers and what to stop or lower.
 */
export function AdmissionRefusal({ decision }: { decision: AdmissionDecision }) {
  const blocking = blockingChecks(decision);
  const never = blocking.some((c) => c.canNeverFit);
  return (
    <div className="banner error inline admission-refusal" role="alert" data-testid="admission-refusal">
      <p>
        <strong>Refused by admission control.</strong> {decision.summary}
      </p>
      {never && <p>Some of what was asked can never fit on this machine: lower it.</p>}
      <CheckList checks={blocking} />
    </div>
  );
}
