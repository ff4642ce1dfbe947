#!/usr/bin/env node
// One build for everything: esbuild bundles the main process, the preload, the CLI and the
// benchmarks (fast, no config); Vite builds the React renderer. `--if-needed` skips a build
// that is newer than every source file.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const SOURCES = ['src-main', 'src-shared', 'src-renderer', 'bench', 'package.json', 'vite.config.ts', 'scripts/build.mjs'];
const OUTPUTS = ['dist/main/cli.js', 'dist/main/electron-main.cjs', 'dist/main/preload.cjs', 'dist/renderer/index.html', 'dist/bench/run.js'];

function newest(p) {
  const s = statSync(p);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(0, ...readdirSync(p).map((f) => newest(path.join(p, f))));
}

if (process.argv.includes('--if-needed')) {
  const outs = OUTPUTS.map((o) => path.join(root, o));
  if (outs.every(existsSync)) {
    const built = Math.min(...outs.map((o) => statSync(o).mtimeMs));
    const changed = Math.max(...SOURCES.map((s) => path.join(root, s)).filter(existsSync).map(newest));
    if (built > changed) process.exit(0);
  }
}

const started = Date.now();
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  packages: 'external', // node_modules ship beside the bundle (native better-sqlite3 among them)
  define: { __MLENV_VERSION__: JSON.stringify(pkg.version) },
  logLevel: 'warning',
  absWorkingDir: root,
};

await Promise.all([
  build({ ...common, entryPoints: ['src-main/cli/main.ts'], outfile: 'dist/main/cli.js', format: 'esm', banner: { js: '#!/usr/bin/env node' } }),
  build({ ...common, entryPoints: ['bench/run.ts'], outfile: 'dist/bench/run.js', format: 'esm' }),
  build({ ...common, entryPoints: ['src-main/shell/main.ts'], outfile: 'dist/main/electron-main.cjs', format: 'cjs', external: ['electron'] }),
  // A sandboxed preload can require only 'electron': bundle everything else into it.
  build({ ...common, packages: undefined, entryPoints: ['src-main/shell/preload.ts'], outfile: 'dist/main/preload.cjs', format: 'cjs', external: ['electron'] }),
]);
execFileSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
console.log(`built main, preload, cli, bench and renderer in ${((Date.now() - started) / 1000).toFixed(1)} s`);
