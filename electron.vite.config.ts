import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'electron-vite';
import { resolve } from 'node:path';

/**
 * main: the Electron entry, the service process (a utility process forked from service-process.js) and the indexing
 * worker (a separate entry: worker-client.ts looks for index-worker.js beside the bundle that starts it). Dependencies stay external (electron-vite's default for `dependencies`), which keeps the
 * native modules (onnxruntime-node, @lancedb/lancedb, sharp) loadable from node_modules / app.asar.unpacked.
 * preload: one CommonJS file, everything bundled, as a sandboxed preload requires.
 * renderer: the Svelte app rooted at src/renderer/index.html.
 */
export default defineConfig({
  main: {
    build: {
      rolldownOptions: {
        input: {
          index: resolve(import.meta.dirname, 'src/main/electron/main.ts'),
          'service-process': resolve(import.meta.dirname, 'src/main/electron/service-process.ts'),
          'index-worker': resolve(import.meta.dirname, 'src/main/indexing/index-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(import.meta.dirname, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'src/renderer'),
    build: {
      rolldownOptions: { input: resolve(import.meta.dirname, 'src/renderer/index.html') },
    },
    plugins: [svelte()],
  },
});
