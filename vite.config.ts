import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The renderer only. Main, preload and the CLI are bundled by esbuild (scripts/build.mjs).
export default defineConfig({
  root: 'src-renderer',
  base: './', // relative asset URLs: the same build loads from file:// (Electron) and http:// (serve mode)
  plugins: [react()],
  resolve: { alias: { '@shared': fileURLToPath(new URL('./src-shared', import.meta.url)) } },
  build: { outDir: '../dist/renderer', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1500 },
});
