#!/usr/bin/env node
/**
 * Production build of the server (docs/deployment.md, "Production build"): bundles server/src and
 * @maillage/shared into plain JavaScript in server/dist, which `node server/dist/main.js` runs with
 * no loader and no build tool installed.
 *
 * Why a bundler (esbuild) rather than `tsc` emitting JS: @maillage/shared is consumed as
 * TypeScript source (its package.json exports ./src/index.ts, which vitest, tsx and Vite read
 * directly). Emitting JS with tsc would need a second, compiled export of shared and conditional
 * exports in every workspace; bundling the workspace code while leaving every npm package
 * external (resolved from node_modules at run time, native better-sqlite3 included) needs neither.
 * esbuild is already in the tree (Vite and tsx use it), builds in well under a second, and only
 * strips types: `npm run typecheck` (tsc) remains the type checker.
 *
 * Layout: every output file sits directly in server/dist, the depth of server/src, so paths
 * computed from import.meta (config.ts: ../../client/dist; cluster/pool.ts: ./worker.js) are the
 * same compiled as in source. Code splitting keeps the lazily imported PostgreSQL store and Redis
 * scale-out in their own chunks, loaded only when configured, as in source.
 *
 *   node server/build.mjs                  → server/dist/{main,worker}.js + chunks + source maps
 *   node server/build.mjs --outdir DIR     → the same in DIR (test/integration/production.test.ts)
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const root = import.meta.dirname;
const flag = process.argv.indexOf('--outdir');
const outdir = flag > 0 && process.argv[flag + 1] ? path.resolve(process.argv[flag + 1]) : path.join(root, 'dist');

/** Bare imports stay imports of node_modules, except our own workspaces, which are bundled. */
const externalPackages = {
  name: 'external-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@maillage/')) return undefined;
      return { path: args.path, external: true };
    });
  },
};

rmSync(outdir, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: { main: 'src/main.ts', worker: 'src/cluster/worker.ts' },
  outdir,
  bundle: true,
  splitting: true,
  chunkNames: '[name]-[hash]',
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  sourcemap: true,
  // Names of classes and functions survive (error names in logs, piscina's default export).
  keepNames: true,
  plugins: [externalPackages],
  metafile: true,
  logLevel: 'warning',
});
const bytes = Object.entries(result.metafile.outputs)
  .filter(([file]) => file.endsWith('.js'))
  .reduce((sum, [, out]) => sum + out.bytes, 0);
console.warn(`server built: ${path.relative(process.cwd(), outdir) || '.'} (${(bytes / 1024).toFixed(0)} KiB of JavaScript)`);
