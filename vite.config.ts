import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The renderer only. Main, preload and the CLI are bundled by esbuild (scripts/build.mjs).
export default defineConfig({
  root: 'src-renderer',
  base: './', // relative asset URLs: the same build loads from file:// (Electron) and http:// (serve mode)
  plugins: [react()],
  resolve: {
    alias: [
      { find: '@shared', replacement: fileURLToPath(new URL('./src-shared', import.meta.url)) },
      // csv-parse's Node entry uses Node's Buffer; the browser takes the package's self-contained build
      // of the same parser and API (src-shared/gpus.ts reads --gpus values with it).
      { find: /^csv-parse\/sync$/, replacement: 'csv-parse/browser/esm/sync' },
    ],
  },
  build: { outDir: '../dist/renderer', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1500 },
});
