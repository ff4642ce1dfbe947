import { describe, expect, it } from 'vitest';
import { cookieValue } from './session';

describe('cookieValue (RFC 6265 §4.2.1)', () => {
  it('finds a cookie by its exact name among others', () => {
    expect(cookieValue('a=1; mlenv-8765=xyz; b=2', 'mlenv-8765')).toBe('xyz');
    expect(cookieValue('mlenv-8765=xyz', 'mlenv-8765')).toBe('xyz');
    expect(cookieValue('mlenv-8765=a=b', 'mlenv-8765')).toBe('a=b');
  });
  it('gives undefined for another port\'s cookie, a bare name or no header', () => {
    expect(cookieValue('mlenv-87650=xyz; xmlenv-8765=1', 'mlenv-8765')).toBeUndefined();
    expect(cookieValue('mlenv-8765', 'mlenv-8765')).toBeUndefined();
    expect(cookieValue(undefined, 'mlenv-8765')).toBeUndefined();
  });
});
