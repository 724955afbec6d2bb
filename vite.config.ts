/**
 * Builds the dashboard (web/) into dist/web/, which the server serves at /app/.
 * Output names carry content hashes, so the same sources give the same files.
 * The bundle has no inline script (the server sends a strict Content-Security-Policy) and
 * loads nothing from another host.
 */
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'web',
  base: '/app/',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    reportCompressedSize: false,
  },
});
