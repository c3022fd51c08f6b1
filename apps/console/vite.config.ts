import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The console is built into dist/console and served by the gateway under /console (docs/console.md). Hashed file
 * names under assets/ let the gateway cache them for good; no inline script, so the page runs under a strict CSP.
 * Vite's own transform compiles TSX with React's automatic runtime: no plugin needed for a production build.
 */
export default defineConfig({
  root,
  base: '/console/',
  oxc: { jsx: { runtime: 'automatic' } },
  resolve: {
    alias: { '@minsheng/client': fileURLToPath(new URL('../../libs/client/src/index.ts', import.meta.url)) },
  },
  build: {
    outDir: fileURLToPath(new URL('../../dist/console', import.meta.url)),
    emptyOutDir: true,
    assetsDir: 'assets',
    modulePreload: { polyfill: false },
  },
});
