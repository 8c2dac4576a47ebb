/**
 * Every REST answer, for every role, holds only the emails that role may see (docs/spec.md R71,
 * R73; docs/security.md "Who sees an email"). Real server, real y-websocket and socket.io clients.
 *
 * The wall has a participant's note and a host's note, both with co-authors (set by a host client
 * with `updateNote(…, { coauthors })`), an accepted cluster and a saved snapshot. For the host, a
 * review link before and after the hosts allow emails (and after they take it back), and the
 * participant link, the test fetches the summary, the snapshot list, time travel, CSV (script and
 * French), JSON, PDF, cluster suggestions and the links, and looks for every email in the bytes
 * (PDF: its extracted text). Before the privacy module, time travel gave a review link without
 * permission the co-authors' emails.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PDFParse } from 'pdf-parse';
import { acceptCluster, addNote, listNotes, ownerIdFromSecret, updateNote, type SnapshotInfo, type SnapshotView, type WallExport } from '@maillage/shared';
import { createBoard, startServer, type TestServer } from '../helpers/server.ts';
import { connectClient, waitFor, type YClient } from '../helpers/yclient.ts';
import { call, joinSession, type SessionClient } from '../helpers/session.ts';

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer();
});
afterAll(async () => {
  await srv?.close();
});

const SECRET = 'secret-of-the-privacy-participant';
/** Every email of the wall ends with this domain, so a leak is found even if cut or re-cased. */
const DOMAIN = 'privacy-test.example';
const AUTHOR_EMAILS = [`lea.author@${DOMAIN}`, `marc.host@${DOMAIN}`];
const COAUTHOR_EMAILS = [`co.one@${DOMAIN}`, `co.two@${DOMAIN}`, `co.three@${DOMAIN}`];
const ALL_EMAILS = [...AUTHOR_EMAILS, ...COAUTHOR_EMAILS];

interface Wall {
  b: Awaited<ReturnType<typeof createBoard>>;
  host: YClient;
  hostS: SessionClient;
  snapshotId: string;
}

async function wallWithCoauthors(): Promise<Wall> {
  const b = await createBoard(srv.http, { title: 'Vie privée' });
  const host = connectClient(srv.ws, b.id, { key: b.hostKey });
  const part = connectClient(srv.ws, b.id, { ownerSecret: SECRET });
  await Promise.all([host.synced, part.synced]);
  const mine = addNote(part.doc, {
    text: 'Mentorat au secondaire',
    domainId: 'mentoring',
    author: 'Léa Côté',
    email: AUTHOR_EMAILS[0],
    org: 'CJE',
    ownerId: ownerIdFromSecret(SECRET),
  });
  await waitFor(host.doc, () => listNotes(host.doc).some((n) => n.id === mine), 5000, 'participant note at host');
  const hosts = addNote(host.doc, { text: 'Tutorat après l’école', domainId: 'mentoring', author: 'Marc', email: AUTHOR_EMAILS[1], org: 'Cégep' });
  updateNote(host.doc, mine, {
    coauthors: [
      { author: 'Co One', email: COAUTHOR_EMAILS[0] as string, org: 'Org 1' },
      { author: 'Co Two', email: COAUTHOR_EMAILS[1] as string, org: 'Org 2' },
    ],
  });
  updateNote(host.doc, hosts, { coauthors: [{ author: 'Co Three', email: COAUTHOR_EMAILS[2] as string, org: 'Org 3' }] });
  acceptCluster(host.doc, { label: 'Soutien scolaire', noteIds: [mine, hosts], terms: ['tutorat'], score: 0.8 });
  await waitFor(part.doc, () => listNotes(part.doc).filter((n) => n.coauthors?.length).length === 2, 5000, 'co-authors at participant');
  part.destroy();
  const hostS = await joinSession(srv.http, b.id, { key: b.hostKey });
  const snap = await fetch(`${srv.http}/api/boards/${b.id}/snapshots`, {
    method: 'POST',
    headers: { authorization: `Bearer ${b.hostKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Avec co-auteurs' }),
  });
  expect(snap.status).toBe(201);
  return { b, host, hostS, snapshotId: ((await snap.json()) as SnapshotInfo).id };
}

interface Answer {
  what: string;
  status: number;
  /** The answer as text (a PDF's extracted text). */
  text: string;
}

async function pdfText(bytes: Uint8Array): Promise<string> {
  const parser = new PDFParse({ data: bytes });
  try {
    return (await parser.getText()).text;
  } finally {
    await parser.destroy();
  }
}

/** Every REST answer about the wall, as the holder of `key` gets them (no key: participant link). */
async function everyAnswer(w: Wall, key: string | undefined): Promise<Answer[]> {
  const id = w.b.id;
  const paths = [
    `/api/boards/${id}`,
    `/api/boards/${id}/snapshots`,
    `/api/boards/${id}/snapshots/${w.snapshotId}`,
    `/api/boards/${id}/export.csv`,
    `/api/boards/${id}/export.csv?lang=fr&sep=semicolon`,
    `/api/boards/${id}/export.json`,
    `/api/boards/${id}/export.pdf?lang=fr`,
    `/api/boards/${id}/clusters`,
    `/api/boards/${id}/links`,
  ];
  const out: Answer[] = [];
  for (const path of paths) {
    const res = await fetch(srv.http + path, key ? { headers: { authorization: `Bearer ${key}` } } : {});
    const bytes = new Uint8Array(await res.arrayBuffer());
    const isPdf = res.status === 200 && res.headers.get('content-type') === 'application/pdf';
    out.push({ what: path.replace(id, ':id').replace(w.snapshotId, ':sid'), status: res.status, text: isPdf ? await pdfText(bytes) : new TextDecoder().decode(bytes) });
  }
  return out;
}

const leaks = (answers: Answer[]): string[] =>
  answers.flatMap((a) => (a.text.toLowerCase().includes(DOMAIN) ? [`${a.what} (${a.status})`] : []));

async function json<T>(w: Wall, path: string, key: string): Promise<T> {
  const res = await fetch(`${srv.http}/api/boards/${w.b.id}${path}`, { headers: { authorization: `Bearer ${key}` } });
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}

const emailsOf = (wall: WallExport): string[] => wall.notes.flatMap((n) => [n.email, ...(n.coauthors ?? []).map((c) => c.email)]).filter((e): e is string => !!e).sort();

async function setReviewEmails(w: Wall, on: boolean): Promise<void> {
  expect((await call(w.hostS, 'host:settings', { reviewShowsEmails: on })).ok).toBe(true);
}

const done = (w: Wall) => {
  w.host.destroy();
  w.hostS.disconnect();
};

describe('privacy of REST answers (server/src/privacy)', () => {
  it('R71 R73 a review link without permission gets every answer, exports included, with no email anywhere — co-authors’ neither (time travel leaked them before)', async () => {
    const w = await wallWithCoauthors();
    const answers = await everyAnswer(w, w.b.reviewKey);
    expect(leaks(answers)).toEqual([]);
    const status = Object.fromEntries(answers.map((a) => [a.what, a.status]));
    expect(status).toEqual({
      '/api/boards/:id': 200,
      '/api/boards/:id/snapshots': 200,
      '/api/boards/:id/snapshots/:sid': 200,
      '/api/boards/:id/export.csv': 200,
      '/api/boards/:id/export.csv?lang=fr&sep=semicolon': 200,
      '/api/boards/:id/export.json': 200,
      '/api/boards/:id/export.pdf?lang=fr': 200,
      '/api/boards/:id/clusters': 403,
      '/api/boards/:id/links': 403,
    });
    // The people are still there, only their emails are not.
    const view = await json<SnapshotView>(w, `/snapshots/${w.snapshotId}`, w.b.reviewKey);
    expect(view.wall.notes.flatMap((n) => (n.coauthors ?? []).map((c) => c.author)).sort()).toEqual(['Co One', 'Co Three', 'Co Two']);
    expect(answers.find((a) => a.what.endsWith('export.pdf?lang=fr'))?.text).toContain('Léa Côté');
    const csv = answers.find((a) => a.what.endsWith('export.csv?lang=fr&sep=semicolon'))?.text ?? '';
    expect(csv.split('\r\n')[0]).toBe('Domaine;Activité;Nom;Organisation;Courriel;Regroupement;Votes;Créé le');
    done(w);
  });

  it('R71 a review link the hosts allowed sees the emails people gave under the default choice; taking the permission back blanks them again', async () => {
    const w = await wallWithCoauthors();
    await setReviewEmails(w, true);
    expect(emailsOf(await json<WallExport>(w, '/export.json', w.b.reviewKey))).toEqual([...ALL_EMAILS].sort());
    expect(emailsOf((await json<SnapshotView>(w, `/snapshots/${w.snapshotId}`, w.b.reviewKey)).wall)).toEqual([...ALL_EMAILS].sort());
    const answers = await everyAnswer(w, w.b.reviewKey);
    for (const what of ['/api/boards/:id/export.csv', '/api/boards/:id/export.pdf?lang=fr']) {
      const text = answers.find((a) => a.what === what)?.text ?? '';
      for (const e of AUTHOR_EMAILS) expect(text, what).toContain(e);
    }
    await setReviewEmails(w, false);
    expect(leaks(await everyAnswer(w, w.b.reviewKey))).toEqual([]);
    done(w);
  });

  it('R71 the host sees every email, co-authors’ included, in exports and time travel', async () => {
    const w = await wallWithCoauthors();
    expect(emailsOf(await json<WallExport>(w, '/export.json', w.b.hostKey))).toEqual([...ALL_EMAILS].sort());
    expect(emailsOf((await json<SnapshotView>(w, `/snapshots/${w.snapshotId}`, w.b.hostKey)).wall)).toEqual([...ALL_EMAILS].sort());
    const answers = await everyAnswer(w, w.b.hostKey);
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const pdf = answers.find((a) => a.what.endsWith('export.pdf?lang=fr'))?.text ?? '';
    for (const e of AUTHOR_EMAILS) expect(pdf).toContain(e);
    // Answers that are not about people carry no email even for the host.
    for (const what of ['/api/boards/:id', '/api/boards/:id/snapshots', '/api/boards/:id/clusters', '/api/boards/:id/links']) {
      expect(leaks(answers.filter((a) => a.what === what)), what).toEqual([]);
    }
    done(w);
  });

  it('R71 the participant link gets the summary only, and no email in any answer or refusal, even with emails allowed on review', async () => {
    const w = await wallWithCoauthors();
    await setReviewEmails(w, true);
    const answers = await everyAnswer(w, undefined);
    expect(answers.filter((a) => a.status === 200).map((a) => a.what)).toEqual(['/api/boards/:id']);
    expect(answers.filter((a) => a.status !== 200).every((a) => a.status === 401)).toBe(true);
    expect(leaks(answers)).toEqual([]);
    done(w);
  });
});
