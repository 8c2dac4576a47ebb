/**
 * The unmodified y-websocket client is a first-class writer (docs/spec.md R68, R3, R9, R13): with
 * only the documented note fields — no owner, no organisation, no device secret — its notes are
 * accepted, completed by the server, shown to everyone and in every export; it edits, moves and
 * deletes its own notes and nobody else's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { listNotes, roots } from '@maillage/shared';
import { createBoard, startServer, type TestServer } from '../helpers/server.ts';
import { connectClient, waitFor } from '../helpers/yclient.ts';

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer();
});
afterAll(async () => {
  await srv?.close();
});

const DOCUMENTED = { text: 'Club de devoirs du mardi', author: 'Ana Silva', email: 'ana@example.org', domainId: 'mentoring', x: 12, y: 40, color: '#a5d6a7', createdAt: 1_700_000_000_000 };

/** Writes a note the way a stock client's code would: a Y.Map of the documented fields. */
function writeStockNote(doc: Y.Doc, id: string, fields: Record<string, unknown>): void {
  doc.transact(() => {
    const m = new Y.Map<unknown>();
    for (const [k, v] of Object.entries(fields)) m.set(k, v);
    roots(doc).notes.set(id, m);
  });
}

describe('R68 a stock y-websocket client with the documented fields', () => {
  it('R68 its note is accepted, completed, shown to others and in every export; it edits and deletes only its own', async () => {
    const b = await createBoard(srv.http);
    const host = connectClient(srv.ws, b.id, { key: b.hostKey });
    const stock = connectClient(srv.ws, b.id); // no key, no device secret: a bare client
    await Promise.all([host.synced, stock.synced]);

    writeStockNote(stock.doc, 'stock-1', DOCUMENTED);
    await waitFor(host.doc, () => listNotes(host.doc).some((n) => n.id === 'stock-1'), 5000, 'stock note at host');
    const seen = listNotes(host.doc).find((n) => n.id === 'stock-1');
    expect(seen).toMatchObject({ text: DOCUMENTED.text, org: '', domainId: 'mentoring' });
    expect(seen?.ownerId).toMatch(/^c-/);
    // The sender gets the fields the server filled in, so both copies agree.
    await waitFor(stock.doc, () => roots(stock.doc).notes.get('stock-1')?.get('ownerId') === seen?.ownerId, 5000, 'owner at sender');
    expect(stock.denials).toEqual([]);

    // In every export (host key).
    const auth = { authorization: `Bearer ${b.hostKey}` };
    const json = (await (await fetch(`${srv.http}/api/boards/${b.id}/export.json`, { headers: auth })).json()) as { notes: { id: string }[] };
    expect(json.notes.map((n) => n.id)).toContain('stock-1');
    const csv = await (await fetch(`${srv.http}/api/boards/${b.id}/export.csv`, { headers: auth })).text();
    expect(csv).toContain(DOCUMENTED.text);
    const pdf = await fetch(`${srv.http}/api/boards/${b.id}/export.pdf`, { headers: auth });
    expect(pdf.status).toBe(200);

    // It edits and moves its own note...
    stock.doc.transact(() => {
      const m = roots(stock.doc).notes.get('stock-1') as Y.Map<unknown>;
      m.set('text', 'Club de devoirs du mardi et du jeudi');
      m.set('x', 200);
    });
    await waitFor(host.doc, () => listNotes(host.doc).find((n) => n.id === 'stock-1')?.x === 200, 5000, 'stock edit at host');

    // ...but not the host's note.
    writeStockNote(host.doc, 'host-1', { ...DOCUMENTED, text: 'Note de l’hôte' });
    await waitFor(stock.doc, () => roots(stock.doc).notes.has('host-1'), 5000, 'host note at stock');
    roots(stock.doc).notes.delete('host-1');
    await expect.poll(() => stock.denials.at(-1) ?? '', { timeout: 5000 }).toMatch(/^not_owner/);
    await waitFor(stock.doc, () => roots(stock.doc).notes.has('host-1'), 5000, 'host note put back at stock');
    expect(listNotes(host.doc).some((n) => n.id === 'host-1')).toBe(true);

    // And deletes its own.
    roots(stock.doc).notes.delete('stock-1');
    await waitFor(host.doc, () => !roots(host.doc).notes.has('stock-1'), 5000, 'stock delete at host');
    expect(stock.closes).toEqual([]);
    host.destroy();
    stock.destroy();
  });
});
