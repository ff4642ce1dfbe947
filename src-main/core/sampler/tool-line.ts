// What a GPU tool prints reaches the journal, the GPU source status and the UI only as one short,
// plain line: tool output is not ours (any program can sit behind a path), so it cannot write
// terminal escapes, forged extra lines or megabytes into events.

export const MAX_TOOL_LINE = 200;

/**
 * One line for people from a tool's output: ANSI escape sequences and control characters removed
 * (newlines and tabs become spaces), spaces collapsed, trimmed, cut at `max` characters (default
 * 200) with "…". Bidirectional overrides are removed too, so a line reads as it is stored.
 */
export function toolLine(text: string, max = MAX_TOOL_LINE): string {
  const plain = text
    .replace(/\x1b\[[0-?]*[ -/]*[@-~]/g, '') // CSI sequences (colours, cursor moves)
    .replace(/\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?/g, '') // OSC sequences (titles, hyperlinks)
    .replace(/[\0-\x1f\x7f-\x9f]/g, ' ')
    .replace(/[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return plain.length > max ? `${plain.slice(0, max - 1)}…` : plain;
}
