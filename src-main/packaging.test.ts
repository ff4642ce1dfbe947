// The packaging config points at files the build really produces.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..');
const yml = readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { main: string; devDependencies: Record<string, string> };

describe('electron-builder.yml', () => {
  it('declares the targets for every desktop OS and unpacks the native module', () => {
    for (const target of ['AppImage', 'deb', 'dmg', 'nsis']) expect(yml).toContain(target);
    expect(yml).toMatch(/asarUnpack:\s*\n\s*- node_modules\/better-sqlite3/);
    expect(yml).toContain('appId: io.mlenv.desktop');
  });
  it('uses icons that exist, the main entry the build writes, and the pinned Electron', () => {
    for (const m of yml.matchAll(/icon: (\S+)/g)) expect(existsSync(path.join(ROOT, m[1]!)), m[1]).toBe(true);
    expect(yml).toContain(`main: ${pkg.main}`);
    expect(yml).toContain(`electronVersion: ${pkg.devDependencies.electron}`);
    for (const level of ['ok', 'warning', 'critical', 'unreachable']) expect(existsSync(path.join(ROOT, 'assets/tray', `${level}.png`))).toBe(true);
  });
});
