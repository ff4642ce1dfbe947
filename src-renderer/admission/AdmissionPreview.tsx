import type { AdmissionDecision } from '@shared/contract';
import { CheckList } from './CheckList';
import './admission.css';
import { blockingChecks, decisionTone, defaultMemoryNote, MODE_TEXT, toneText } from './decision';
import type { CheckInput } from './request';
import { useAdmissionPreview } from './useAdmissionPreview';

/** One decision (a preview, or a recorded one with preview false) as a coloured panel: its headline, the default-memory note, and every check. */
export function DecisionPanel({ decision, testId, stale = false, preview = true }: { decision: AdmissionDecision; testId: string; stale?: boolean; preview?: boolean }) {
  const tone = decisionTone(decision);
  const note = defaultMemoryNote(decision);
  // What stands in the way shows at once; the checks that pass fold away.
  const open = blockingChecks(decision);
  const passed = decision.checks.filter((c) => c.status === 'pass');
  return (
    <div className={`admission-panel tone-${tone}`} data-testid={testId} data-tone={tone} aria-busy={stale || undefined}>
      <div className="admission-headline">
        <span className="dot" />
        <strong data-testid={`${testId}-headline`}>{toneText(decision, preview)}</strong>
        <small className="muted">
          {' '}
          · policy {MODE_TEXT[decision.mode]}
          {stale && ' · updating…'}
        </small>
      </div>
      <p className="admission-summary">{decision.summary}</p>
      {note && <p className="muted">{note}</p>}
      <CheckList checks={open} />
      {passed.length > 0 && (
        <details className="admission-passed">
          <summary>
            {passed.length === decision.checks.length ? `All ${passed.length} checks pass` : `${passed.length} more checks pass`}
          </summary>
          <CheckList checks={passed} />
        </details>
      )}
    </div>
  );
}

/**
 * The live admission preview of a launch: green / amber / red with every check's figures, asked
 * again as the request is edited and as the machine's load changes. For the launch form and the
 * one-click launch: pass `checkFromLaunch(launchInput, invalidFields, pull)` (./request).
 */
export function AdmissionPreview({ request }: { request: CheckInput | undefined }) {
  const { decision, error, stale } = useAdmissionPreview(request);
  if (!request) return null;
  return (
    <section className="admission-preview" aria-live="polite" aria-label="Admission preview">
      {error && (
        <p className="inline-error" data-testid="admission-preview-error">
          Cannot preview admission: {error}
        </p>
      )}
      {!decision && !error && <p className="muted">Checking this launch against the machine’s load…</p>}
      {decision && <DecisionPanel decision={decision} testId="admission-preview" stale={stale} />}
    </section>
  );
}
