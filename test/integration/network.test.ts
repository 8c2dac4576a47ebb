/**
 * The relationship map over the REST API (docs/spec.md R140–R147): `GET /network`, the GraphML
 * export read back by graphology-graphml (on @xmldom/xmldom), and the Kumu blueprint read as
 * Kumu documents it (elements with label and type; connections with from, to and type, naming
 * element ids; ids unique across both) — all three must hold the same nodes and edges. And every
 * export format answers a review link the hosts did not allow to see emails, with no email inside.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Graph from 'graphology';
import { parse as parseGraphml } from 'graphology-graphml';
import { DOMParser } from '@xmldom/xmldom';
import { PDFParse } from 'pdf-parse';
import { acceptCluster, addNote, addRelation, expandQuery, filterNotes, listNotes, ownerIdFromSecret, vocabularyTokens, type Network, type Note, type VocabularyConcept } from '@maillage/shared';
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

async function get(path: string, key?: string): Promise<Response> {
  return fetch(srv.http + path, key ? { headers: { authorization: `Bearer ${key}` } } : {});
}

const SECRET = 'network-test-participant';
const EMAILS = ['lea@cje.example', 'marc@cegep.example', 'ann@ymca.example', 'zoe@ville.example'];

/** Four organizations (one spelt two ways), two accepted groups, two connectors. */
async function seeded(): Promise<{ b: Awaited<ReturnType<typeof createBoard>>; host: YClient; ids: Record<string, string> }> {
  const b = await createBoard(srv.http, { title: 'Carte des partenaires' });
  const host = connectClient(srv.ws, b.id, { key: b.hostKey });
  const part = connectClient(srv.ws, b.id, { ownerSecret: SECRET });
  await Promise.all([host.synced, part.synced]);
  const owner = ownerIdFromSecret(SECRET);
  const ids: Record<string, string> = {};
  ids.lea1 = addNote(part.doc, { text: 'Mentorat des élèves', domainId: 'mentoring', author: 'Léa Côté', email: EMAILS[0], org: 'CJE Estrie', ownerId: owner });
  ids.lea2 = addNote(part.doc, { text: 'Aide aux devoirs', domainId: 'graduate-high-school', author: 'Léa Côté', email: EMAILS[0], org: 'cje estrie', ownerId: owner });
  await waitFor(host.doc, () => listNotes(host.doc).length === 2, 5000, 'participant notes at host');
  ids.marc = addNote(host.doc, { text: 'Tutorat au cégep', domainId: 'graduate-high-school', author: 'Marc Roy', email: EMAILS[1], org: 'Cégep de Sherbrooke' });
  ids.ann = addNote(host.doc, { text: 'Mentoring for newcomers', domainId: 'mentoring', author: 'Ann Lee', email: EMAILS[2], org: 'YMCA' });
  ids.zoe = addNote(host.doc, { text: 'Stages d’été', domainId: 'hs-to-employment', author: 'Zoé Gagnon', email: EMAILS[3], org: 'Ville de Sherbrooke' });
  acceptCluster(host.doc, { label: 'Soutien scolaire', noteIds: [ids.lea2, ids.marc], terms: [], score: 0.7 });
  acceptCluster(host.doc, { label: 'Mentorat', noteIds: [ids.lea1, ids.ann], terms: [], score: 0.6 });
  addRelation(host.doc, { from: ids.lea1, to: ids.ann, label: 'même public' });
  addRelation(host.doc, { from: ids.zoe, to: ids.marc, label: '' });
  await waitFor(part.doc, () => listNotes(part.doc).length === 5, 5000, 'wall at participant');
  part.destroy();
  return { b, host, ids };
}

const edgeKey = (a: string, b: string) => [a, b].sort().join(' — ');

describe('relationship map over REST', () => {
  it('R140 R141 R147 /network: one node per organization, an edge per shared group or connector, for host and review keys only', async () => {
    const { b, host, ids } = await seeded();
    expect((await get(`/api/boards/${b.id}/network`)).status).toBe(401);
    const res = await get(`/api/boards/${b.id}/network`, b.reviewKey);
    expect(res.status).toBe(200);
    const net = (await res.json()) as Network;
    expect(net.nodes).toEqual([
      { id: 'cegep de sherbrooke', label: 'Cégep de Sherbrooke', notes: 1 },
      { id: 'cje estrie', label: 'CJE Estrie', notes: 2 },
      { id: 'ville de sherbrooke', label: 'Ville de Sherbrooke', notes: 1 },
      { id: 'ymca', label: 'YMCA', notes: 1 },
    ]);
    // An edge lists its notes in the wall's order: oldest first, ties (same millisecond) by id —
    // so the expected order is read from the wall, not assumed from the order they were written.
    const wallOrder = listNotes(host.doc).map((n) => n.id);
    const inWallOrder = (...noteIds: (string | undefined)[]) => noteIds.map((x) => x as string).sort((x, y) => wallOrder.indexOf(x) - wallOrder.indexOf(y));
    expect(net.edges).toEqual([
      { source: 'cegep de sherbrooke', target: 'cje estrie', weight: 1, kinds: ['group'], notes: inWallOrder(ids.lea2, ids.marc) },
      { source: 'cegep de sherbrooke', target: 'ville de sherbrooke', weight: 1, kinds: ['connector'], notes: inWallOrder(ids.marc, ids.zoe) },
      { source: 'cje estrie', target: 'ymca', weight: 2, kinds: ['group', 'connector'], notes: inWallOrder(ids.lea1, ids.ann) },
    ]);
    // Filters: a domain keeps its own notes' organizations and links.
    const mentoring = (await (await get(`/api/boards/${b.id}/network?domain=mentoring`, b.hostKey)).json()) as Network;
    expect(mentoring.nodes.map((n) => n.id)).toEqual(['cje estrie', 'ymca']);
    expect(mentoring.edges.map((e) => e.kinds)).toEqual([['group', 'connector']]);
    host.destroy();
    await sleep(10);
  });

  it('R145 R146 the GraphML (graphology-graphml) and the Kumu blueprint hold the same nodes and edges as /network', async () => {
    const { b, host } = await seeded();
    const net = (await (await get(`/api/boards/${b.id}/network`, b.hostKey)).json()) as Network;

    const gm = await get(`/api/boards/${b.id}/export.graphml?k=${b.reviewKey}`);
    expect(gm.status).toBe(200);
    expect(gm.headers.get('content-type')).toContain('application/graphml+xml');
    expect(gm.headers.get('content-disposition')).toMatch(/\.graphml"/);
    const xml = await gm.text();
    // Well-formed XML first (@xmldom/xmldom reports any error), then graphology's GraphML reader.
    const errors: string[] = [];
    const dom = new DOMParser({ onError: (level, msg) => void errors.push(`${level}: ${msg}`) }).parseFromString(xml, 'text/xml');
    expect(errors).toEqual([]);
    expect(dom.documentElement?.getAttribute('xmlns')).toBe('http://graphml.graphdrawing.org/xmlns');
    const graph = parseGraphml(Graph, xml);
    expect(graph.type).toBe('undirected');
    expect(graph.order).toBe(net.nodes.length);
    expect(graph.size).toBe(net.edges.length);
    for (const n of net.nodes) expect(graph.getNodeAttributes(n.id)).toMatchObject({ label: n.label, notes: n.notes });
    for (const e of net.edges) {
      const id = graph.edge(e.source, e.target);
      expect(id, `${e.source} — ${e.target}`).toBeDefined();
      const a = graph.getEdgeAttributes(id);
      expect(a.weight).toBe(e.weight);
      expect(String(a.kinds).split(' ')).toEqual(e.kinds);
      expect(String(a.noteIds).split(' ')).toEqual(e.notes);
    }

    const km = await get(`/api/boards/${b.id}/export.kumu.json?lang=en`, b.reviewKey);
    expect(km.status).toBe(200);
    expect(km.headers.get('content-disposition')).toMatch(/\.kumu\.json"/);
    const blueprint = (await km.json()) as { elements: Record<string, unknown>[]; connections: Record<string, unknown>[] };
    // Kumu's documented fields: elements need a label (type optional but given), connections
    // name two elements in from/to (by id when ids are given) and may carry a type.
    expect(Object.keys(blueprint).sort()).toEqual(['connections', 'elements']);
    const ids = [...blueprint.elements, ...blueprint.connections].map((x) => x.id);
    expect(new Set(ids).size).toBe(ids.length); // "ids must be unique across all elements and connections"
    const labelOf = new Map<string, string>();
    for (const el of blueprint.elements) {
      expect(typeof el.label).toBe('string');
      expect(el.type).toBe('Organization');
      labelOf.set(el.id as string, el.label as string);
    }
    expect([...labelOf.values()].sort()).toEqual(net.nodes.map((n) => n.label).sort());
    const kumuEdges = blueprint.connections.map((c) => {
      expect(labelOf.has(c.from as string) && labelOf.has(c.to as string)).toBe(true);
      expect(['Group', 'Connector', 'Similar activities']).toContain(c.type);
      return edgeKey(labelOf.get(c.from as string) as string, labelOf.get(c.to as string) as string);
    });
    const label = new Map(net.nodes.map((n) => [n.id, n.label]));
    expect(kumuEdges.sort()).toEqual(net.edges.map((e) => edgeKey(label.get(e.source) as string, label.get(e.target) as string)).sort());
    host.destroy();
    await sleep(10);
  });

  it('R73 R147 a review link without email permission gets every format (CSV, JSON, PDF, GraphML, Kumu, network) with no email inside; allowed, it gets them', async () => {
    const { b, host } = await seeded();
    const hostSession = await joinSession(srv.http, b.id, { key: b.hostKey });
    const formats = ['export.csv?lang=fr', 'export.json', 'export.pdf', 'export.graphml', 'export.kumu.json', 'network'];
    const textOf = async (res: Response, path: string): Promise<string> => {
      if (!path.startsWith('export.pdf')) return res.text();
      const parser = new PDFParse({ data: new Uint8Array(await res.arrayBuffer()) });
      try {
        return (await parser.getText()).text;
      } finally {
        await parser.destroy();
      }
    };
    for (const f of formats) {
      const res = await get(`/api/boards/${b.id}/${f}`, b.reviewKey);
      expect(res.status, f).toBe(200);
      const body = await textOf(res, f);
      for (const email of EMAILS) expect(body, `${f} holds ${email}`).not.toContain(email);
      expect(body, f).not.toMatch(/@[a-z]+\.example/);
    }
    // The host's files have them (CSV, JSON, PDF); allowed review links too.
    const hostCsv = await (await get(`/api/boards/${b.id}/export.csv`, b.hostKey)).text();
    expect(hostCsv).toContain(EMAILS[1]);
    const ack = await call(hostSession, 'host:settings', { reviewShowsEmails: true });
    expect(ack.ok).toBe(true);
    const reviewPdf = await textOf(await get(`/api/boards/${b.id}/export.pdf`, b.reviewKey), 'export.pdf');
    expect(reviewPdf).toContain(EMAILS[1]);
    hostSession.disconnect();
    host.destroy();
    await sleep(10);
  });

  it('R155 cross-language search: the wall’s vocabulary (clustering glossary) makes "mentoring" find every mentoring note, French and English', async () => {
    const b = await createBoard(srv.http, { title: 'Recherche' });
    expect((await get(`/api/boards/${b.id}/vocabulary`)).status).toBe(200); // the participant link's filter bar too
    const vocab = (await (await get(`/api/boards/${b.id}/vocabulary`, b.reviewKey)).json()) as { concepts: VocabularyConcept[] };
    const concepts = vocabularyTokens(vocab.concepts);
    const texts = [
      'Mentoring for newcomer youth',
      'Mentorat des élèves du secondaire',
      'Programme de parrainage étudiant',
      'Jumelage avec un mentor',
      'Mentorship circles for girls in STEM',
      'Grands frères et grandes sœurs : un adulte significatif',
      'Peer mentors in high school',
    ];
    const notes = texts.map((text, i) => ({ id: `n${i}`, text, author: 'A', org: 'O', email: '', domainId: 'd', x: 0, y: 0, color: '#fff59d', createdAt: i, ownerId: '' }) as Note);
    const other = { ...notes[0], id: 'x', text: 'Aide aux devoirs après l’école' } as Note;
    const all = [...notes, other];
    const plain = filterNotes(all, { q: 'mentoring' });
    const crossed = filterNotes(all, { q: 'mentoring', alternatives: expandQuery('mentoring', concepts) });
    expect(plain.length).toBeLessThan(texts.length); // the old search: only the English word
    expect(crossed.map((n) => n.id).sort()).toEqual(notes.map((n) => n.id).sort());
    // And the other way: "mentorat" finds the English notes; accents folded in the query.
    const fr = filterNotes(all, { q: 'MENTORÂT', alternatives: expandQuery('MENTORÂT', concepts) });
    expect(fr.map((n) => n.id)).toEqual(expect.arrayContaining(['n0', 'n4']));
    expect(fr.map((n) => n.id)).not.toContain('x');
  });

  it('R148 the PDF report: groups with organizations, connectors, vote ranking (shared rankByVotes), the map page and next steps', async () => {
    const { b, host, ids } = await seeded();
    const hostS = await joinSession(srv.http, b.id, { key: b.hostKey });
    const voter = await joinSession(srv.http, b.id, { ownerSecret: 'network-test-voter' });
    expect((await call(hostS, 'host:vote', { action: 'open', dots: 3 })).ok).toBe(true);
    for (const id of [ids.zoe, ids.zoe, ids.marc]) expect((await call(voter, 'vote:cast', { noteId: id as string, add: true })).ok).toBe(true);
    const res = await get(`/api/boards/${b.id}/export.pdf?lang=en`, b.reviewKey);
    expect(res.status).toBe(200);
    const parser = new PDFParse({ data: new Uint8Array(await res.arrayBuffer()) });
    let pages: string[];
    try {
      pages = (await parser.getText()).pages.map((p) => p.text.replace(/\s+/g, ' '));
    } finally {
      await parser.destroy();
    }
    const at = (heading: string) => pages.findIndex((p) => p.includes(heading));
    // In this order: domains, groups, connectors, votes, map, next steps.
    const order = ['Activities by domain', 'Clusters and contacts', 'Connectors between activities', 'Vote results', 'Relationship map Each circle', 'Next steps for the group'].map(at);
    expect(order.every((i) => i >= 0), JSON.stringify(pages.map((p) => p.slice(0, 300)))).toBe(true);
    expect([...order].sort((x, y) => x - y)).toEqual(order);
    const all = pages.join(' ');
    expect(all).toContain('Organizations: CJE Estrie, Cégep de Sherbrooke');
    expect(all).toContain('même public');
    // The ranking: Zoé's note first with 2 votes, Marc's second with 1.
    const votes = pages[order[3] as number] as string;
    expect(votes).toMatch(/1\. 2 votes Stages d’été .*2\. 1 vote Tutorat au cégep/);
    expect(pages[order[4] as number]).toContain('Shared group');
    expect(all).toContain('Confirm shared measures and targets');
    expect(all).not.toMatch(/@[a-z]+\.example/); // a review link without permission
    hostS.disconnect();
    voter.disconnect();
    host.destroy();
    await sleep(10);
  });
});
