import { describe, expect, it } from 'vitest';
import { parseUlimit } from '@shared/units';
import { formatUlimit } from './format';

describe('formatUlimit', () => {
  it('writes a ulimit back as --ulimit takes it', () => {
    for (const text of ['memlock=-1', 'stack=67108864', 'nofile=1024:2048']) expect(formatUlimit(parseUlimit(text))).toBe(text);
  });
});
