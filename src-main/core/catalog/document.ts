// The catalog as a JSON file (CatalogDocument): export writes every entry; import reads a file whole or
// refuses it whole, naming where its first error is (a JSON syntax error by line and column, a shape
// error by its path such as images[3].versions[0].tag).
import type { CatalogDocument, CatalogImage } from '@shared/contract';
import { catalogDocumentSchema } from '@shared/contract/catalog';
import { AppError } from '@shared/errors';

/** A zod issue path as a reader writes it: images[3].versions[0].tag. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, p) => (typeof p === 'number' ? `${out}[${p}]` : out ? `${out}.${String(p)}` : String(p)), '') || '(the top level)';
}

/** "line L, column C" of a character offset in `text` (1-based). */
function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `line ${line}, column ${offset - before.lastIndexOf('\n')}`;
}

const refuse = (where: string, why: string) => new AppError('INVALID_INPUT', `The catalog file was not imported: ${where}: ${why}. Nothing was changed.`, { location: where });

/**
 * Reads a catalog file. Throws AppError INVALID_INPUT naming the first error's location: not JSON
 * (line and column), not the shape of a CatalogDocument (the zod issue path), or a repository listed
 * twice. Returns the entries as the file gives them.
 */
export function parseCatalogDocument(text: string): CatalogImage[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    const at = /at position (\d+)/.exec(message);
    throw refuse(at ? lineColumn(text, Number(at[1])) : 'the file', `not valid JSON (${message.replace(/\s*in JSON at position \d+.*$/, '')})`);
  }
  const parsed = catalogDocumentSchema.safeParse(value);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    throw refuse(formatPath(first.path), first.message);
  }
  const seen = new Map<string, number>();
  parsed.data.images.forEach((image, i) => {
    const before = seen.get(image.repository);
    if (before !== undefined) throw refuse(`images[${i}].repository`, `${image.repository} is listed twice (also at images[${before}])`);
    seen.set(image.repository, i);
  });
  return parsed.data.images as CatalogImage[];
}

/** Every entry as one document; `exportedAt` ms since epoch. */
export const catalogDocument = (images: CatalogImage[], exportedAt: number): CatalogDocument => ({ format: 'mlenv-catalog', version: 1, exportedAt, images });
