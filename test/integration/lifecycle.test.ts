/**
 * Process lifecycle (docs/spec.md R4, R7): SIGTERM flushes every wall before exiting, and the
 * `npm start` entry point serves the built client and the API from one port.
 */
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { addNote, listNotes } from '@maillage/shared';
import { createBoard, tempDir } from '../helpers/server.ts';
import { connectClient, waitFor } from '../helpers/yclient.ts';
import { killAllServers, spawnServer } from '../helpers/processes.ts';

const dirs: string[] = [];
afterAll(async () => {
  await killAllServers();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('process lifecycle', () => {
  it('R7 SIGTERM flushes pending updates, exits 0, and a new process serves them', async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    const env = { DATA_DIR: dataDir, ROOM_IDLE_MS: '60000', COMPACT_AFTER: '100000' };
    const first = await spawnServer({ name: 'term-a', env });
    const b = await createBoard(first.http);
    const c = connectClient(first.ws, b.id, { key: b.hostKey });
    await c.synced;
    const ids = Array.from({ length: 25 }, (_, i) => addNote(c.doc, { text: `note ${i}`, domainId: 'other' }));
    // Wait only until the server has them in memory (echo through a second client), not stored.
    const probe = connectClient(first.ws, b.id, { key: b.hostKey });
    await waitFor(probe.doc, () => listNotes(probe.doc).length === 25, 10_000, 'notes at the server');
    c.provider.disconnect();
    probe.provider.disconnect();
    expect(await first.kill('SIGTERM')).toBe(0);
    expect(first.logs.some((l) => l.includes('maillage stopped'))).toBe(true);

    const second = await spawnServer({ name: 'term-b', env });
    const fresh = connectClient(second.ws, b.id);
    await fresh.synced;
    expect(listNotes(fresh.doc).map((n) => n.id).sort()).toEqual([...ids].sort());
    fresh.destroy();
    c.destroy();
    probe.destroy();
    await second.kill('SIGTERM');
  });

  it('R1 one port serves the app shell, the API and health probes', async () => {
    const srv = await spawnServer({ name: 'shell', env: {} });
    const home = await fetch(`${srv.http}/`);
    const html = await home.text();
    if (fs.existsSync(new URL('../../client/dist/index.html', import.meta.url))) {
      expect(home.status).toBe(200);
      expect(html).toContain('<div id="root">');
      expect(home.headers.get('content-security-policy')).toContain("default-src 'self'");
      const wall = await fetch(`${srv.http}/b/AAAAAAAAAAAAAAAAAAAAAA`);
      expect(wall.status).toBe(200); // the SPA decides (and shows "not found")
    }
    expect((await fetch(`${srv.http}/healthz`)).status).toBe(200);
    expect((await fetch(`${srv.http}/readyz`)).status).toBe(200);
    await srv.kill('SIGTERM');
  });
});
