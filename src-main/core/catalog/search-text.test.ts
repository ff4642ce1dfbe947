import { describe, expect, it } from 'vitest';
import { ftsMatch } from './search-text';

describe('ftsMatch', () => {
  it('makes every word a quoted prefix query, all required', () => {
    expect(ftsMatch('l4t PyTorch')).toBe('"l4t"* AND "pytorch"*');
    expect(ftsMatch('nvidia/pytorch:25.12')).toBe('"nvidia"* AND "pytorch"* AND "25"* AND "12"*');
  });
  it("keeps FTS5's own syntax out (quotes, operators, column filters)", () => {
    expect(ftsMatch('name:"x" OR NEAR(a b)')).toBe('"name"* AND "x"* AND "or"* AND "near"* AND "a"* AND "b"*');
    expect(ftsMatch('  /:- ')).toBeNull();
  });
});

describe('ftsMatch on one character', () => {
  it('is no word search (the exact and prefix tiers answer it)', () => {
    expect(ftsMatch('p')).toBeNull();
    expect(ftsMatch(' p ')).toBeNull();
    expect(ftsMatch('py')).toBe('{name display_name} : ("py"*)');
  });
});
