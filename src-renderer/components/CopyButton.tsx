import { useState } from 'react';

/**
 * A Copy button for one piece of text, with what happened beside it. Where the page may not write
 * the clipboard (a browser page not on localhost or https), `fallback` makes the text selectable
 * and returns what to tell the user instead.
 */
export function CopyButton({ text, fallback, testId }: { text: string; fallback: () => string; testId?: string }) {
  const [note, setNote] = useState<string>();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setNote('Copied.');
    } catch {
      setNote(fallback());
    }
  };
  return (
    <>
      <button type="button" onClick={() => void copy()} data-testid={testId}>
        Copy
      </button>
      {note && <small className="muted">{note}</small>}
    </>
  );
}

/** Selects an element's text for Ctrl+C (the fallback when the clipboard is refused). */
export function selectText(el: HTMLElement | null): string {
  if (!el) return 'Copying was refused: select the text and press Ctrl+C (⌘C).';
  const range = document.createRange();
  range.selectNodeContents(el);
  getSelection()?.removeAllRanges();
  getSelection()?.addRange(range);
  return 'Selected: press Ctrl+C (⌘C) to copy.';
}
