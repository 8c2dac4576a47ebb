/**
 * Exports and import over the REST API (docs/spec.md R28–R30): CSV for spreadsheets (BOM, one row
 * per note, formula injection neutralised), JSON that re-imports into an equal wall, and the PDF
 * report — with the same permissions everywhere (host and review; emails per the privacy module, R73).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { PDFParse } from 'pdf-parse';
import {
  acceptCluster,
  addDomain,
  addNote,
  addRelation,
  listClusters,
  listDomains,
  listNotes,
  listRelations,
  ownerIdFromSecret,
  removeDomain,
  updateDomain,
  type WallExport,
} from '@maillage/shared';
import { createBoard, startServer, type TestServer } from '../helpers/server.ts';
import { connectClient, sleep, waitFor, type YClient } from '../helpers/yclient.ts';
import { call, joinSession } from '../helpers/session.ts';

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer();
});
afterAll(async () => {
  await srv?.close();
});

const SECRET = 'secret-of-the-export-participant';

/** RFC 4180 parser (quotes, doubled quotes, CRLF), enough to read back what we wrote. */
function parseCsv(text: string, sep = ','): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === sep) {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

async function get(path: string, key?: string): Promise<Response> {
  return fetch(srv.http + path, key ? { headers: { authorization: `Bearer ${key}` } } : {});
}

/** A wall with people, an injected formula or two, a cluster, a relation, and dots. */
async function richWall(): Promise<{ b: Awaited<ReturnType<typeof createBoard>>; host: YClient; ids: Record<string, string> }> {
  const b = await createBoard(srv.http, { title: 'Cartographie — région de l’Estrie' });
  const host = connectClient(srv.ws, b.id, { key: b.hostKey });
  const part = connectClient(srv.ws, b.id, { ownerSecret: SECRET });
  await Promise.all([host.synced, part.synced]);
  const ids: Record<string, string> = {};
  ids.mentor = addNote(part.doc, {
    text: 'Mentorat d’élèves en français, « jumelage » avec des étudiant·e·s',
    domainId: 'mentoring',
    author: 'Léa Côté',
    email: 'lea.cote@cje-estrie.example',
    org: 'CJE de l’Estrie',
    ownerId: ownerIdFromSecret(SECRET),
    createdAt: Date.UTC(2025, 10, 12, 14, 30, 5),
  });
  ids.formula = addNote(host.doc, { text: '=HYPERLINK("http://evil.example","clic")', domainId: 'other', author: '+1 819 555 0100', email: '=cmd@evil.example', org: '-2+3' });
  ids.at = addNote(host.doc, { text: '@SUM(A1:A9)', domainId: 'other', author: '\tTab', org: '\rCR' });
  ids.tutor = addNote(host.doc, { text: 'Tutorat après l’école', domainId: 'graduate-high-school', author: 'Marc', email: 'marc@cegep.example', org: 'Cégep' });
  acceptCluster(host.doc, { label: 'Soutien scolaire', noteIds: [ids.mentor, ids.tutor], terms: ['tutorat'], score: 0.8 });
  addRelation(host.doc, { from: ids.mentor, to: ids.tutor, label: 'complémentaires' });
  const dom = addDomain(host.doc, { title: { fr: 'Loisirs', en: 'Leisure' }, color: '#ccfbf1' });
  updateDomain(host.doc, 'engage-youth', { title: { fr: 'Mobiliser les jeunes', en: 'Engage youth' } });
  removeDomain(host.doc, 'hs-to-training', null);
  ids.dom = dom;
  await waitFor(part.doc, () => listNotes(part.doc).length === 4 && listClusters(part.doc).length === 1, 5000, 'wall at participant');
  part.destroy();
  return { b, host, ids };
}

describe('CSV export', () => {
  it('R28 one row per note with domain, author, organization, email, cluster, votes and time; UTF-8 BOM; 401/403 without a key', async () => {
    const { b, host, ids } = await richWall();
    // Two dots on the mentoring note.
    const hostS = await joinSession(srv.http, b.id, { key: b.hostKey });
    const voter = await joinSession(srv.http, b.id, { ownerSecret: SECRET });
    expect((await call(hostS, 'host:vote', { action: 'open', dots: 3 })).ok).toBe(true);
    expect((await call(voter, 'vote:cast', { noteId: ids.mentor as string, add: true })).ok).toBe(true);
    expect((await call(voter, 'vote:cast', { noteId: ids.mentor as string, add: true })).ok).toBe(true);

    expect((await get(`/api/boards/${b.id}/export.csv`)).status).toBe(401);
    expect((await get(`/api/boards/${b.id}/export.csv`, 'not-a-key')).status).toBe(401);
    // A review link without the hosts' permission exports too, emails blanked (R73, privacy-rest.test.ts).
    expect((await get(`/api/boards/${b.id}/export.csv`, b.reviewKey)).status).toBe(200);

    const res = await get(`/api/boards/${b.id}/export.csv`, b.hostKey);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="Cartographie-region-de-l-Estrie-\d{4}-\d\d-\d\d\.csv"/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(Array.from(bytes.slice(0, 3))).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).slice(1);
    expect(text).toContain('\r\n');
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual(['domain', 'text', 'author', 'organization', 'email', 'cluster', 'votes', 'created_at']);
    expect(rows).toHaveLength(4);
    const byText = new Map(rows.map((r) => [r[1], r]));
    expect(byText.get('Mentorat d’élèves en français, « jumelage » avec des étudiant·e·s')).toEqual([
      'Mentorat',
      'Mentorat d’élèves en français, « jumelage » avec des étudiant·e·s',
      'Léa Côté',
      'CJE de l’Estrie',
      'lea.cote@cje-estrie.example',
      'Soutien scolaire',
      '2',
      '2025-11-12 14:30:05',
    ]);
    expect(byText.get('Tutorat après l’école')?.slice(5, 7)).toEqual(['Soutien scolaire', '0']);
    host.destroy();
    hostS.disconnect();
    voter.disconnect();
  });

  it('R28 a cell starting with =, +, -, @, a tab or a carriage return is neutralised with a quote', async () => {
    const { b, host } = await richWall();
    const text = (await (await get(`/api/boards/${b.id}/export.csv?k=${b.hostKey}`)).text()).replace(/^\uFEFF/, '');
    const rows = parseCsv(text).slice(1);
    const formula = rows.find((r) => r[1]?.includes('HYPERLINK'));
    expect(formula?.slice(1, 5)).toEqual(["'=HYPERLINK(\"http://evil.example\",\"clic\")", "'+1 819 555 0100", "'-2+3", "'=cmd@evil.example"]);
    const at = rows.find((r) => r[1]?.includes('SUM'));
    expect(at?.slice(1, 4)).toEqual(["'@SUM(A1:A9)", "'\tTab", "'\rCR"]);
    // No cell of the file starts with a formula character any more.
    for (const r of rows) for (const cell of r) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    host.destroy();
  });

  it('R28 French headers and semicolons on request; review links export once the host allows it', async () => {
    const { b, host } = await richWall();
    const hostS = await joinSession(srv.http, b.id, { key: b.hostKey });
    expect((await call(hostS, 'host:settings', { reviewShowsEmails: true })).ok).toBe(true);
    const res = await get(`/api/boards/${b.id}/export.csv?k=${encodeURIComponent(b.reviewKey)}&lang=fr&sep=semicolon&tz=America/Toronto`);
    expect(res.status).toBe(200);
    const rows = parseCsv((await res.text()).replace(/^\uFEFF/, ''), ';');
    expect(rows[0]).toEqual(['Domaine', 'Activité', 'Nom', 'Organisation', 'Courriel', 'Regroupement', 'Votes', 'Créé le']);
    // 14:30 UTC is 09:30 in Toronto in November.
    expect(rows.find((r) => r[2] === 'Léa Côté')?.[7]).toBe('2025-11-12 09:30:05');
    expect(rows.find((r) => r[2] === 'Léa Côté')?.[4]).toBe('lea.cote@cje-estrie.example');
    hostS.disconnect();
    host.destroy();
  });
});

describe('JSON export and import', () => {
  it('R29 export → import gives an equal wall in a new wall, with new keys', async () => {
    const { b, host, ids } = await richWall();
    expect((await get(`/api/boards/${b.id}/export.json`)).status).toBe(401);
    const res = await get(`/api/boards/${b.id}/export.json`, b.hostKey);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/\.json"/);
    const exported = (await res.json()) as WallExport;
    expect(exported).toMatchObject({ format: 'maillage-wall', version: 1, title: 'Cartographie — région de l’Estrie', template: 'relationship-mapping' });
    expect(exported.notes).toHaveLength(4);
    expect(exported.domains).toHaveLength(7);
    expect(exported.clusters).toHaveLength(1);
    expect(exported.relations).toHaveLength(1);

    const imp = await fetch(`${srv.http}/api/boards/import`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(exported) });
    expect(imp.status).toBe(201);
    const created = (await imp.json()) as { id: string; hostKey: string; reviewKey: string; title: string; links: Record<string, string> };
    expect(created.id).not.toBe(b.id);
    expect(created.hostKey).not.toBe(b.hostKey);
    expect(created.title).toBe(exported.title);
    expect(created.links.host).toBe(`/b/${created.id}#k=${created.hostKey}`);

    // Same content through the export of the new wall…
    const again = (await (await get(`/api/boards/${created.id}/export.json`, created.hostKey)).json()) as WallExport;
    const strip = (w: WallExport) => ({ ...w, exportedAt: undefined, votes: undefined });
    expect(strip(again)).toEqual(strip(exported));
    // …and through a live client of the new wall, where the participant still owns their note.
    const c = connectClient(srv.ws, created.id);
    await c.synced;
    const orig = new Y.Doc();
    Y.applyUpdate(orig, Y.encodeStateAsUpdate(host.doc));
    expect(listNotes(c.doc)).toEqual(listNotes(orig));
    expect(listDomains(c.doc)).toEqual(listDomains(orig));
    expect(listClusters(c.doc)).toEqual(listClusters(orig));
    expect(listRelations(c.doc)).toEqual(listRelations(orig));
    expect(listNotes(c.doc).find((n) => n.id === ids.mentor)?.ownerId).toBe(ownerIdFromSecret(SECRET));
    c.destroy();
    host.destroy();
  });

  it('R29 an invalid export is refused with a 400 naming the problem', async () => {
    const { b, host } = await richWall();
    const good = (await (await get(`/api/boards/${b.id}/export.json`, b.hostKey)).json()) as WallExport;
    const post = (body: unknown) =>
      fetch(`${srv.http}/api/boards/import`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
    const cases: [unknown, RegExp][] = [
      [{ ...good, format: 'trello' }, /format/],
      [{ ...good, notes: [{ ...good.notes[0], domainId: 'nowhere' }] }, /notes\.0\.domainId/],
      [{ ...good, notes: [{ ...good.notes[0], email: 'not an email' }] }, /email/],
      [{ ...good, notes: [{ ...good.notes[0], text: 'x'.repeat(501) }] }, /notes\.0\.text/],
      [{ ...good, notes: [good.notes[0], good.notes[0]] }, /duplicate note id/],
      ['{"format": "maillage-wall",', /JSON/],
    ];
    for (const [body, reason] of cases) {
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(reason);
    }
    host.destroy();
  });
});

describe('PDF report', () => {
  it('R30 the report lists activities per domain and clusters with their contacts; accents print', async () => {
    const { b, host } = await richWall();
    expect((await get(`/api/boards/${b.id}/export.pdf`)).status).toBe(401);
    expect((await get(`/api/boards/${b.id}/export.pdf`, b.reviewKey)).status).toBe(200); // R73: emails blanked
    const res = await get(`/api/boards/${b.id}/export.pdf?lang=fr`, b.hostKey);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const parser = new PDFParse({ data: new Uint8Array(bytes) });
    try {
      const { text, total } = await parser.getText();
      expect(total).toBeGreaterThanOrEqual(2);
      const flat = text.replace(/\s+/g, ' ');
      expect(flat).toContain('Cartographie — région de l’Estrie');
      expect(flat).toContain('Activités par domaine');
      expect(flat).toContain('Mentorat d’élèves en français, « jumelage » avec des étudiant·e·s');
      expect(flat).toContain('Léa Côté · CJE de l’Estrie · lea.cote@cje-estrie.example');
      expect(flat).toContain('Regroupements et contacts');
      expect(flat).toContain('Soutien scolaire');
      expect(flat).toContain('Marc — Cégep — marc@cegep.example');
      expect(flat).toMatch(/Page 1 sur \d/);
    } finally {
      await parser.destroy();
    }
    host.destroy();
    await sleep(10);
  });
});
