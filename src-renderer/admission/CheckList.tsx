import type { AdmissionCheck } from '@shared/contract';
import { formatCheckValue, MODE_TEXT } from './decision';

const MARK: Record<AdmissionCheck['status'], string> = { pass: '✓', fail: '✕', unknown: '?' };

/** One check: its own sentence, then its figures (now → after the launch, against the limit) and what to stop or lower. */
function CheckRow({ c, showMode }: { c: AdmissionCheck; showMode: boolean }) {
  return (
    <li className={`admission-check check-${c.status}`} data-testid={`admission-check-${c.id}`} data-status={c.status}>
      <span className="check-mark" aria-label={c.status}>
        {MARK[c.status]}
      </span>
      <div>
        <div>
          <strong>{c.label}</strong>
          {c.canNeverFit && <span className="badge check-never"> can never fit here</span>}
          {showMode && <small className="muted"> · {MODE_TEXT[c.mode]}</small>}
        </div>
        <div data-testid="admission-check-sentence">{c.sentence}</div>
        <small className="muted check-figures">
          now {formatCheckValue(c.observed, c.unit)} → after {formatCheckValue(c.after, c.unit)}
          {c.limit !== null && ` · limit ${formatCheckValue(c.limit, c.unit)}`}
        </small>
        {c.remedy && (
          <div className="check-remedy" data-testid="admission-check-remedy">
            To fit: {c.remedy}
          </div>
        )}
      </div>
    </li>
  );
}

/** The checks of one decision, in its order (failed first). `showMode` marks each check's mode (where a per-check override may differ). */
export function CheckList({ checks, showMode = false }: { checks: AdmissionCheck[]; showMode?: boolean }) {
  return (
    <ul className="admission-checks">
      {checks.map((c) => (
        <CheckRow key={c.id} c={c} showMode={showMode} />
      ))}
    </ul>
  );
}
