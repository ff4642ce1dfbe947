import type { ReactNode } from 'react';

/** A form's submit button with its status beside it: a note (saved, progress) or a readable error. */
export function FormActions({ label, disabled, note, error, testId }: { label: ReactNode; disabled?: boolean; note?: ReactNode; error?: string; testId?: string }) {
  return (
    <div className="form-actions">
      <button type="submit" disabled={disabled} data-testid={testId}>
        {label}
      </button>
      {note}
      {error && (
        <span className="inline-error" role="alert" data-testid={testId && `${testId}-error`}>
          {error}
        </span>
      )}
    </div>
  );
}
