// Every "Settings → <section>" a message or page tells the user to open names a section the Settings
// page has, by the title it shows: the titles are read from the section components Settings.tsx
// renders (their <h3>, or NumberSettings' title), the references from the sources and the README.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..');
const PAGES = path.join(ROOT, 'src-renderer/pages');
const read = (file: string) => readFileSync(file, 'utf8');

/** The titles of the sections Settings.tsx renders. */
function sectionTitles(): string[] {
  const settings = path.join(PAGES, 'Settings.tsx');
  const files = [...read(settings).matchAll(/^import \{ \w+ \} from '(\.[^']+)';$/gm)].map((m) => `${path.resolve(PAGES, m[1]!)}.tsx`);
  return files.flatMap((f) => {
    const text = read(f);
    return [...text.matchAll(/<h3>([^<{]+)<\/h3>|<NumberSettings title="([^"]+)"/g)].map((m) => (m[1] ?? m[2])!.trim());
  });
}

/** Source files (tests excluded) under `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || e.name === 'fixtures' ? [] : sources(p);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [p] : [];
  });
}

describe('Settings → <section> references', () => {
  const titles = sectionTitles();

  it('reads the section titles the page shows', () => {
    expect(titles).toEqual(expect.arrayContaining(['Docker engines', 'Registry credentials', 'Catalog', 'Launch', 'Database backups', 'Events journal']));
  });

  it('each reference names one of them', () => {
    const files = [...['src-main', 'src-shared', 'src-renderer'].flatMap((d) => sources(path.join(ROOT, d))), path.join(ROOT, 'README.md')];
    const refs = files.flatMap((f) =>
      [...read(f).matchAll(/Settings → ([^\n`'"]+)/g)].map((m) => ({ where: path.relative(ROOT, f), text: m[1]! })),
    );
    expect(refs.length).toBeGreaterThan(10);
    // The title, then the end of the words that name it (not one more letter: "Registry" is not "Registries").
    const wrong = refs.filter((r) => !titles.some((t) => r.text.startsWith(t) && !/^[\p{L}\d]/u.test(r.text.slice(t.length))));
    expect(wrong).toEqual([]);
  });
});
