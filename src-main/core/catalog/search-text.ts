// What the user typed → an FTS5 MATCH expression over catalog_fts.

/** At most this many words of the text take part (a paste of a paragraph is not a query). */
const MAX_WORDS = 12;

/**
 * The words of `text` (runs of letters and digits, lower-cased, as FTS5's unicode61 tokenizer splits
 * them), each a quoted prefix query, all required: "l4t pyt" → `"l4t"* AND "pyt"*`. Quoting keeps FTS5's
 * own syntax (AND, NEAR, column:, ^) out of the user's hands. Null when the text has no words, or is
 * one character (the exact and prefix tiers answer that: "p" would match most descriptions). Two
 * characters look in names only (`{name display_name} : …`): as the user types, "nv" means a name.
 */
export function ftsMatch(text: string): string | null {
  const trimmed = text.trim();
  if (trimmed.length < 2) return null;
  const words = trimmed
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .slice(0, MAX_WORDS);
  if (!words.length) return null;
  const match = words.map((w) => `"${w}"*`).join(' AND ');
  return trimmed.length < 3 ? `{name display_name} : (${match})` : match;
}
