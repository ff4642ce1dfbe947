// A catalog file is read whole or refused whole, naming where its first error is.
import { describe, expect, it } from 'vitest';
import { formatPath, parseCatalogDocument } from './document';

const refusal = (text: string): string => {
  try {
    parseCatalogDocument(text);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected a refusal');
};

describe('parseCatalogDocument', () => {
  it('names a JSON syntax error by line and column', () => {
    expect(refusal('{\n  "format": "mlenv-catalog",\n  "version": 1,,\n}')).toMatch(/^The catalog file was not imported: line 3, column 16: not valid JSON/);
  });
  it('names a shape error by its path', () => {
    expect(refusal(JSON.stringify({ format: 'mlenv-catalog', version: 2, exportedAt: 0, images: [] }))).toMatch(/^The catalog file was not imported: version: /);
    expect(refusal(JSON.stringify({ format: 'something-else', version: 1, exportedAt: 0, images: [] }))).toMatch(/: format: /);
  });
  it('formats zod paths as a reader writes them', () => {
    expect(formatPath(['images', 3, 'versions', 0, 'tag'])).toBe('images[3].versions[0].tag');
    expect(formatPath([])).toBe('(the top level)');
  });
});
