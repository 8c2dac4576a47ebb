/**
 * What a participant's phone downloads before the join dialog, and how the server sends it
 * (docs/spec.md R110–R113). Reads the built client (`client/dist`, or `CLIENT_DIST`): `npm test`
 * builds it before the suites run.
 *
 * The participant's first load is the entry script of index.html and every chunk it imports
 * statically (Vite's manifest lists both); deferred chunks (the canvas, host, clusters,
 * snapshots, export, projection, the landing page) are fetched later, when first shown.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/processes.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

const DIST = path.resolve(process.env.CLIENT_DIST ?? path.join(REPO_ROOT, 'client/dist'));
/** R113: the participant's first load, brotli-compressed (what a phone is sent). */
const BUDGET_BYTES = 200 * 1024;
/**
 * R185: what the join dialog waits for. 87.6 KB brotli when the wall's code left the entry
 * (React DOM alone is ~55 KB); the budget leaves room for the dialog to grow, not for a library.
 */
const FIRST_SCREEN_BYTES = 100 * 1024;

interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}
type Manifest = Record<string, ManifestChunk>;

function readManifest(): Manifest {
  const file = path.join(DIST, '.vite/manifest.json');
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: build the client first (npm run build)`);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest;
}

/** The entry chunk and everything it imports statically, as manifest keys. */
function firstLoad(m: Manifest): string[] {
  const entry = Object.keys(m).find((k) => m[k]?.isEntry && k.endsWith('index.html'));
  if (!entry) throw new Error('no index.html entry in the manifest');
  const seen = new Set<string>();
  const walk = (k: string) => {
    if (seen.has(k)) return;
    seen.add(k);
    for (const i of m[k]?.imports ?? []) walk(i);
  };
  walk(entry);
  return [...seen];
}

const brotli = (buf: Buffer) => zlib.brotliCompressSync(buf, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
const gzip = (buf: Buffer) => zlib.gzipSync(buf, { level: 9 }).length;

describe('the participant’s first load', () => {
  it('R113 the entry script and its static imports weigh at most 200 KB compressed; host, canvas, clustering, snapshot, export and projection code are deferred chunks', () => {
    const m = readManifest();
    const keys = firstLoad(m);
    const files = keys.map((k) => m[k]?.file as string);
    let raw = 0;
    let br = 0;
    let gz = 0;
    for (const f of files) {
      const buf = fs.readFileSync(path.join(DIST, f));
      raw += buf.length;
      br += brotli(buf);
      gz += gzip(buf);
    }
    console.log(`participant first load: ${files.length} script(s), ${(raw / 1024).toFixed(0)} KB raw, ${(br / 1024).toFixed(1)} KB brotli, ${(gz / 1024).toFixed(1)} KB gzip`);
    expect(br).toBeLessThanOrEqual(BUDGET_BYTES);
    expect(br, 'R185: the first screen (the join dialog) stays small').toBeLessThanOrEqual(FIRST_SCREEN_BYTES);

    // Each of these is its own chunk, reached only through a dynamic import.
    const deferred = ['src/wall/Wall.tsx', 'src/panels/HostPanel.tsx', 'src/panels/ClustersPanel.tsx', 'src/panels/ExportMenu.tsx', 'src/projection/ProjectionView.tsx', 'src/join/Landing.tsx', 'src/panels/Qr.tsx'];
    for (const src of deferred) {
      // Keyed by source path, or by chunk name when Vite merged the module into a named chunk.
      const base = path.basename(src).replace(/\.tsx?$/, '');
      const key = Object.keys(m).find((k) => k.endsWith(src) || path.basename(m[k]?.file ?? '').startsWith(`${base}-`));
      expect(key, `${src} is a chunk of its own`).toBeDefined();
      expect(m[key as string]?.isDynamicEntry, `${src} is loaded on demand`).toBe(true);
      expect(keys, `${src} is not in the first load`).not.toContain(key);
    }
    // And the big libraries behind them are not in the first load's code.
    const code = files.map((f) => fs.readFileSync(path.join(DIST, f), 'utf8')).join('\n');
    expect(code).not.toContain('Konva.Stage'); // the canvas library
    expect(code).not.toContain('record_delimiter'); // csv-stringify (the contacts CSV)
  });

  it('R185 the join dialog does not wait for the wall: the first load has no Yjs, socket.io, zod or wall page, which is a chunk of its own', () => {
    const m = readManifest();
    const keys = firstLoad(m);
    const code = keys.map((k) => fs.readFileSync(path.join(DIST, m[k]?.file as string), 'utf8')).join('\n');
    // Each marker is a string its library keeps after minification.
    expect(code).not.toContain('Yjs was already imported'); // yjs
    expect(code).not.toContain('transport close'); // socket.io-client / engine.io
    expect(code).not.toContain('ZodError'); // zod (schemas and validators)
    expect(code).not.toContain('maillage.view'); // the phone view's remembered choice (the wall page)
    // The dialog itself is there: its name field and the strings it shows.
    expect(code).toContain('Avant de commencer');
    // Keyed by source path, or by chunk name when Vite merged the module into a named chunk.
    const app = Object.keys(m).find((k) => k.endsWith('src/App.tsx') || /^App-.*\.js$/.test(path.basename(m[k]?.file ?? '')));
    expect(app, 'App.tsx is a chunk of its own').toBeDefined();
    expect(m[app as string]?.isDynamicEntry).toBe(true);
    expect(keys).not.toContain(app);
  });
});

describe('how the client is served', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startServer({ clientDist: DIST });
  });
  afterAll(async () => {
    await srv?.close();
  });

  it('R110 R111 hashed scripts go out brotli- or gzip-compressed (as the browser accepts), cached for a year, immutable', async () => {
    const m = readManifest();
    const entry = m[firstLoad(m)[0] as string] as ManifestChunk;
    const url = `${srv.http}/${entry.file}`;
    const raw = fs.readFileSync(path.join(DIST, entry.file));

    const br = await fetch(url, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.status).toBe(200);
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(br.headers.get('vary')).toMatch(/accept-encoding/i);
    expect(br.headers.get('content-type')).toMatch(/javascript/);
    // fetch decodes the body: it must be the file itself.
    expect(Buffer.from(await br.arrayBuffer()).equals(raw)).toBe(true);
    expect(Number(br.headers.get('content-length'))).toBeLessThan(raw.length / 3);

    const gz = await fetch(url, { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(Buffer.from(await gz.arrayBuffer()).equals(raw)).toBe(true);

    const plain = await fetch(url, { headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(Buffer.from(await plain.arrayBuffer()).equals(raw)).toBe(true);
    expect(plain.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('R112 the page itself (any wall link) is revalidated on every visit', async () => {
    const res = await fetch(`${srv.http}/b/some-wall`, { headers: { 'accept-encoding': 'gzip' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(await res.text()).toContain('<div id="root">');
    const api = await fetch(`${srv.http}/api/nope`);
    expect(api.status).toBe(404); // the API is not the page
  });
});
