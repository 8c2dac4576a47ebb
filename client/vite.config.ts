import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

// In development the API, the y-websocket endpoint and socket.io live on the Node server (:3000).
const target = process.env.MAILLAGE_SERVER ?? 'http://localhost:3000';

/**
 * Writes a brotli (quality 11) and a gzip (level 9) copy next to each text asset, which the
 * server sends as they are (server/src/http/staticClient.ts): the best compression, paid once at
 * build time instead of on every request. Source maps are left alone (only developer tools
 * fetch them).
 */
function precompress(): Plugin {
  let outDir = 'dist';
  return {
    name: 'maillage-precompress',
    apply: 'build',
    configResolved(c) {
      outDir = path.resolve(c.root, c.build.outDir);
    },
    closeBundle() {
      const assets = path.join(outDir, 'assets');
      if (!fs.existsSync(assets)) return;
      for (const name of fs.readdirSync(assets)) {
        if (!/\.(js|css|svg|json)$/.test(name)) continue;
        const file = path.join(assets, name);
        const data = fs.readFileSync(file);
        if (data.length < 1024) continue;
        fs.writeFileSync(`${file}.br`, zlib.brotliCompressSync(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length } }));
        fs.writeFileSync(`${file}.gz`, zlib.gzipSync(data, { level: 9 }));
      }
    },
  };
}

export default defineConfig({
  plugins: [react(), precompress()],
  build: {
    outDir: 'dist',
    sourcemap: true,
    // The manifest lets test/integration/bundle.test.ts follow what a participant's first visit
    // loads (the entry and its static imports) and check its compressed size (R113).
    manifest: true,
    chunkSizeWarningLimit: 600,
    rollupOptions: {
      // `@maillage/shared` is pure code (schemas, rules, the CSV writer) behind one index. Said
      // so here, a module of it goes only with the chunks that use it: without this the index
      // kept the CSV writer and its library (csv-stringify, whose browser build opens with a
      // Buffer polyfill that looks like a side effect) in every page, although only the contacts
      // sheet, a deferred chunk, writes CSV.
      treeshake: { moduleSideEffects: (id) => !/[\\/](shared[\\/]src|node_modules[\\/]csv-stringify)[\\/]/.test(id) },
    },
  },
  server: {
    proxy: {
      '/api': target,
      '/yjs': { target, ws: true },
      '/socket.io': { target, ws: true },
    },
  },
});
