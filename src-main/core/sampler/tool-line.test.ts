// What a tool prints reaches events only as one short plain line.
import { describe, expect, it } from 'vitest';
import { waitFor } from '../../test-support';
import { createStreamProcess } from './stream-process';
import { MAX_TOOL_LINE, toolLine } from './tool-line';

describe('toolLine', () => {
  it('keeps a plain message as it is', () => {
    expect(toolLine('Unable to determine the device handle for GPU0000:34:00.0: Unknown Error')).toBe('Unable to determine the device handle for GPU0000:34:00.0: Unknown Error');
  });

  it('drops terminal escapes (colours, cursor moves, window titles, links) and bidi overrides', () => {
    expect(toolLine('\x1b[1;31mERROR\x1b[0m: NVML \x1b[2Kfailed')).toBe('ERROR: NVML failed');
    expect(toolLine('\x1b]0;owned\x07title \x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\')).toBe('title link');
    expect(toolLine('file\u202Eexe.txt')).toBe('fileexe.txt');
  });

  it('turns line breaks and control characters into single spaces, so no forged second line gets through', () => {
    expect(toolLine('first\r\n2024-01-01 INFO forged entry\n\ttabbed\0nul\x7fdel')).toBe('first 2024-01-01 INFO forged entry tabbed nul del');
    expect(toolLine('  \n\t ')).toBe('');
  });

  it(`cuts at ${MAX_TOOL_LINE} characters with an ellipsis`, () => {
    const long = toolLine('x'.repeat(5000));
    expect(long).toHaveLength(MAX_TOOL_LINE);
    expect(long.endsWith('x…')).toBe(true);
    expect(toolLine('abcdef', 4)).toBe('abc…');
  });

  it("reaches the state a dying tool reports: its last stderr line, sanitised and short", async () => {
    const states: { state: string; error?: string }[] = [];
    const p = createStreamProcess({
      command: '/bin/sh',
      args: ['-c', `printf 'boom\\n\\033[31mred\\033[0m \\007%0300d\\n' 0 >&2; exit 3`],
      onLine: () => undefined,
      onState: (state, error) => states.push({ state, error }),
      minBackoffMs: 60_000,
    });
    p.start();
    const ended = await waitFor(() => states.find((s) => s.state === 'restarting'), 10_000, 'the tool to end');
    p.stop();
    expect(ended.error).toHaveLength(MAX_TOOL_LINE);
    expect(ended.error).toMatch(/red 0{100,}…$/);
    expect(ended.error).not.toMatch(/[\x00-\x1f\x7f]/);
  });

  it('a spawn that verify() refuses never runs: the tool is absent with that reason', async () => {
    const states: { state: string; error?: string }[] = [];
    const p = createStreamProcess({
      command: '/bin/sh',
      args: ['-c', 'echo ran'],
      onLine: (l) => void states.push({ state: `line ${l}` }),
      onState: (state, error) => states.push({ state, error }),
      verify: () => 'the tegrastats path "/x" is refused: no such file',
    });
    p.start();
    p.stop();
    expect(states).toEqual([{ state: 'absent', error: 'the tegrastats path "/x" is refused: no such file' }]);
    expect(p.pid).toBeUndefined();
  });
});
