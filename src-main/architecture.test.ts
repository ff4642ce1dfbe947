// Guards the shape of the code: only the Electron shell may import 'electron' (the core and the
// renderer run without it), and the renderer knows the contract, never the main process.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    if (statSync(p).isDirectory()) return f === 'node_modules' || f === 'fixtures' ? [] : sources(p);
    return /\.(ts|tsx|mts|cts|js|mjs|cjs)$/.test(f) ? [p] : [];
  });
}
const rel = (p: string) => path.relative(ROOT, p);
const IMPORT_RE = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm;
const importsOf = (file: string) => [...readFileSync(file, 'utf8').matchAll(IMPORT_RE)].map((m) => m[1] ?? m[2] ?? m[3] ?? m[4]!);

const ALL = ['src-main', 'src-shared', 'src-renderer', 'bench', 'e2e'].flatMap((d) => sources(path.join(ROOT, d)));

describe('architecture', () => {
  it('finds the sources it guards (and its import pattern sees electron where it is)', () => {
    expect(ALL.length).toBeGreaterThan(20);
    expect(importsOf(path.join(ROOT, 'src-main/shell/preload.ts'))).toContain('electron');
  });

  it("imports 'electron' only in src-main/shell (and the Electron e2e spec)", () => {
    const offenders = ALL.filter((f) => !rel(f).startsWith('src-main/shell/') && rel(f) !== 'e2e/electron.spec.ts')
      .filter((f) => importsOf(f).some((i) => i === 'electron' || i.startsWith('electron/')))
      .map(rel);
    expect(offenders).toEqual([]);
  });

  it('keeps the renderer off Node and off the main process', () => {
    const offenders = ALL.filter((f) => rel(f).startsWith('src-renderer/'))
      .flatMap((f) => importsOf(f).filter((i) => i.startsWith('node:') || i.includes('src-main')).map((i) => `${rel(f)} → ${i}`));
    expect(offenders).toEqual([]);
  });

  it('keeps the core off the router and the request map: services hold no contract names (core/app.ts, the composition root, wires them)', () => {
    const upward = (file: string, spec: string) => {
      if (!spec.startsWith('.')) return false;
      const target = rel(path.resolve(path.dirname(file), spec));
      return target === 'src-main/router' || target === 'src-main/handlers' || target.startsWith('src-main/handlers/');
    };
    const offenders = ALL.filter((f) => rel(f).startsWith('src-main/core/') && rel(f) !== 'src-main/core/app.ts')
      .flatMap((f) => importsOf(f).filter((i) => upward(f, i)).map((i) => `${rel(f)} → ${i}`));
    expect(offenders).toEqual([]);
    // the check sees such an import where there is one
    expect(importsOf(path.join(ROOT, 'src-main/core/app.ts')).filter((i) => upward(path.join(ROOT, 'src-main/core/app.ts'), i))).toEqual(['../handlers', '../router']);
  });

  it('keeps src-shared free of main-process and renderer code', () => {
    const offenders = ALL.filter((f) => rel(f).startsWith('src-shared/'))
      .flatMap((f) => importsOf(f).filter((i) => i.includes('src-main') || i.includes('src-renderer') || i.startsWith('node:')).map((i) => `${rel(f)} → ${i}`));
    expect(offenders).toEqual([]);
  });
});
