// The packaging config points at files the build really produces.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
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

// electron-builder's own loader and schema check (app-builder-lib, the package electron-builder
// builds with, resolved from electron-builder itself so the versions match).
interface BuilderConfig {
  electronFuses?: Record<string, boolean> | null;
}
const builderRequire = createRequire(createRequire(path.join(ROOT, 'package.json')).resolve('electron-builder'));
const builderConfig = builderRequire('app-builder-lib/out/util/config/config.js') as {
  getConfig(projectDir: string, configPath: string | null, configFromOptions: null): Promise<BuilderConfig>;
  validateConfiguration(config: BuilderConfig, debugLogger: unknown): Promise<void>;
};
const { DebugLogger } = builderRequire('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

describe('Electron fuses', () => {
  it('flips every fuse that turns the app into a Node runtime off, and asar-only loading with integrity on', async () => {
    const config = await builderConfig.getConfig(ROOT, null, null);
    await builderConfig.validateConfiguration(config, new DebugLogger(false)); // the key names are electron-builder's
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('is checked against electron-builder\'s schema (a misspelt fuse is refused, not ignored)', async () => {
    const config = await builderConfig.getConfig(ROOT, null, null);
    const misspelt = { ...config, electronFuses: { ...config.electronFuses, runAsNod: false } };
    await expect(builderConfig.validateConfiguration(misspelt, new DebugLogger(false))).rejects.toThrow(/electronFuses/);
  });
});
