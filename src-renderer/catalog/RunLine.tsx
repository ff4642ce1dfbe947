import { useRef, useState } from 'react';
import type { LaunchPlan } from '@shared/contract';

/** The exact `docker run …` line Launch will execute, with Copy, and the plan's notes (one sentence each). */
export function RunLine({ plan }: { plan: LaunchPlan }) {
  const pre = useRef<HTMLPreElement>(null);
  const [copied, setCopied] = useState<string>();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(plan.dockerRun);
      setCopied('Copied.');
    } catch {
      // No clipboard permission (a page not on localhost or https): select it for Ctrl+C instead.
      const range = document.createRange();
      if (pre.current) range.selectNodeContents(pre.current);
      getSelection()?.removeAllRanges();
      getSelection()?.addRange(range);
      setCopied('Selected: press Ctrl+C (⌘C) to copy.');
    }
  };
  return (
    <div className="run-line" data-testid="run-line">
      <div className="toolbar">
        <strong>Launch runs</strong>
        <span className="muted">{plan.pulled ? 'image present: nothing to pull' : `pulls ${plan.image} first`}</span>
        <span className="spacer" />
        <button type="button" onClick={() => void copy()} data-testid="run-line-copy">
          Copy
        </button>
        {copied && <small className="muted">{copied}</small>}
      </div>
      <pre ref={pre} className="mono run-line-text" data-testid="run-line-text">
        {plan.dockerRun}
      </pre>
      {plan.notes.length > 0 && (
        <ul className="plan-notes" data-testid="plan-notes">
          {plan.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
      {plan.remembered && <p className="muted">With your choices from the last Customise… of this image.</p>}
    </div>
  );
}
