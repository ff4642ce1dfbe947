#!/usr/bin/env node
// `npm start`: builds, makes sure better-sqlite3 has a build for Electron (kept apart in
// .electron-native so the Node build that serve mode and the tests use stays intact), then
// launches the desktop app. Where Electron cannot run, it says how to use serve mode instead.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });

run(process.execPath, ['scripts/build.mjs', '--if-needed']);

let electronBinary;
try {
  electronBinary = require('electron'); // the path of the downloaded binary
} catch {
  electronBinary = undefined;
}
if (!electronBinary || !existsSync(electronBinary)) {
  console.error(
    'The Electron binary is not installed (no internet at install time, or ELECTRON_SKIP_BINARY_DOWNLOAD was set).\n' +
      'Reinstall with internet access (npm ci), or run the same dashboard in your browser:  npm run serve',
  );
  process.exit(1);
}
if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
  console.error('No display here. Run the dashboard headless and open it from your browser:  npm run serve');
  process.exit(1);
}

const electronVersion = JSON.parse(readFileSync(path.join(root, 'node_modules/electron/package.json'), 'utf8')).version;
const nativeDir = path.join(root, '.electron-native');
const marker = path.join(nativeDir, `electron-${electronVersion}`);
if (!existsSync(marker)) {
  console.log(`Building better-sqlite3 for Electron ${electronVersion} (once)…`);
  const sqlite = path.join(root, 'node_modules/better-sqlite3');
  const sqliteVersion = JSON.parse(readFileSync(path.join(sqlite, 'package.json'), 'utf8')).version;
  cpSync(sqlite, path.join(nativeDir, 'node_modules/better-sqlite3'), { recursive: true });
  // @electron/rebuild walks the dependency tree of the folder's package.json.
  writeFileSync(path.join(nativeDir, 'package.json'), JSON.stringify({ name: 'mlenv-electron-native', private: true, dependencies: { 'better-sqlite3': sqliteVersion } }));
  run(process.execPath, [path.join(root, 'node_modules/@electron/rebuild/lib/cli.js'), '--version', electronVersion, '--module-dir', nativeDir, '--only', 'better-sqlite3', '--force']);
  writeFileSync(marker, `better-sqlite3 ${sqliteVersion} built for Electron ${electronVersion}\n`);
}

spawn(electronBinary, ['.'], { cwd: root, stdio: 'inherit' }).on('exit', (code) => process.exit(code ?? 0));
