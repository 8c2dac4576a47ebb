/**
 * Emails that arrive by the old roads never reach anyone's document (issue 13; docs/spec.md R80,
 * R81): a wall whose stored updates were written before the contact store (emails on notes and
 * co-authors, in the update log), a wall imported from a JSON export that carries emails, and a
 * host client that still writes an email on a co-author. Each time: no role's frames or document
 * (host included), no stored update holds an email once the wall is served; a review link without
 * the hosts' permission and the participant link get none over REST; the hosts still get every
 * email (from the contact store).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addNote, listNotes, ownerIdFromSecret, randomToken, updateNote } from '@maillage/shared';
import { createBoard, startServer, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/yclient.ts';
import { connectRecording, docText, everyAnswer, frameText, joinRecording, occurring, receivedTexts, sleep, updateText, type RecordingSocket, type RecordingYClient } from '../helpers/personal-wire.ts';

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer();
});
afterAll(async () => {
  await srv?.close();
});

const tagged = () => randomToken(8).replace(/[^A-Za-z0-9]/g, 'x').toLowerCase();

interface Role {
  label: string;
  y: RecordingYClient;
  s: RecordingSocket;
  key: string | undefined;
}

async function watchers(b: Awaited<ReturnType<typeof createBoard>>, tag: string): Promise<Role[]> {
  const out: Role[] = [];
  for (const [label, key, secret] of [
    ['host', b.hostKey, undefined],
    ['review', b.reviewKey, undefined],
    ['participant', undefined, `legacy-participant-${tag}`],
  ] as const) {
    const y = connectRecording(srv.ws, b.id, { key, ownerSecret: secret });
    const s = await joinRecording(srv.http, b.id, { key, ownerSecret: secret });
    await y.synced;
    out.push({ label, y, s, key });
  }
  return out;
}

/** Everything each role received or holds, and the stored log, searched for `needles`. */
async function leaks(boardId: string, roles: Role[], needles: string[]): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const r of roles) {
    out[`${r.label} y-websocket`] = [...r.y.frames.flatMap((f, i) => occurring(frameText(f), needles).map((e) => `frame ${i}: ${e}`)), ...occurring(docText(r.y.doc), needles)];
    if (r.label !== 'host') {
      out[`${r.label} socket.io`] = receivedTexts(r.s).flatMap((x) => occurring(x.text, needles).map((e) => `${x.what}: ${e}`));
      out[`${r.label} REST`] = (await everyAnswer(srv.http, boardId, r.key, [])).flatMap((a) => occurring(a.text, needles).map((e) => `${a.what.replace(boardId, ':id')} (${a.status}): ${e}`));
    }
  }
  await srv.server.rooms.peek(boardId as never)?.flush();
  const { updates } = await srv.server.store.loadUpdates(boardId as never);
  out['stored updates'] = updates.flatMap((u, i) => occurring(updateText(u), needles).map((e) => `update ${i}: ${e}`));
  return out;
}

const none = (o: Record<string, string[]>) => Object.fromEntries(Object.keys(o).map((k) => [k, []]));

async function hostSeesAll(boardId: string, hostKey: string, emails: string[]): Promise<string[]> {
  const answers = await everyAnswer(srv.http, boardId, hostKey, []);
  return occurring(answers.map((a) => a.text).join('\n'), emails).sort();
}

const close = (roles: Role[]) => {
  for (const r of roles) {
    r.y.destroy();
    r.s.disconnect();
  }
};

describe('emails by the old roads (issue 13)', () => {
  it('R80 a wall whose update log was written before the contact store (emails on notes and co-authors) is served to every role without them, its log compacted without them; hosts still see every one of them', async () => {
    const tag = tagged();
    const owned = `legacy.owned.${tag}@pd-${tag}.example`;
    const unowned = `legacy.unowned.${tag}@pd-${tag}.example`;
    const coauthor = `legacy.co.${tag}@pd-${tag}.example`;
    const emails = [owned, unowned, coauthor];
    const b = await createBoard(srv.http, { title: `Ancien mur ${tag}` });
    // Wait until the wall is not loaded, then append an old-style update straight to the store:
    // a participant's note (device owner id), a note owned by no device (server-made, imported or
    // a stock client's before R68) and a co-author as old clients wrote them (no author id).
    await expect.poll(() => srv.server.rooms.peek(b.id as never), { timeout: 5000 }).toBeUndefined();
    const doc = new Y.Doc();
    for (const u of (await srv.server.store.loadUpdates(b.id as never)).updates) Y.applyUpdate(doc, u);
    const before = Y.encodeStateVector(doc);
    addNote(doc, { text: `Note d’un appareil ${tag}`, domainId: 'mentoring', author: 'Ancien', email: owned, org: 'Org', ownerId: ownerIdFromSecret(`legacy-device-${tag}`) });
    const id = addNote(doc, { text: `Note sans appareil ${tag}`, domainId: 'other', author: 'Sans appareil', email: unowned, org: 'Org' });
    updateNote(doc, id, { coauthors: [{ author: 'Ancien co-auteur', org: 'Org 2', email: coauthor }] });
    await srv.server.store.appendUpdates(b.id as never, [Y.encodeStateAsUpdate(doc, before)]);
    const stored = (await srv.server.store.loadUpdates(b.id as never)).updates;
    expect(occurring(stored.map(updateText).join('\n'), emails).sort(), 'the old log holds the emails').toEqual([...emails].sort());

    const roles = await watchers(b, tag);
    try {
      for (const r of roles) await waitFor(r.y.doc, () => listNotes(r.y.doc).length === 2, 5000, `old notes at ${r.label}`);
      await sleep(1500); // migration compacts the log after loading
      const found = await leaks(b.id, roles, [...emails, `@pd-${tag}.example`]);
      expect.soft(found).toEqual(none(found));
      // The hosts had these emails before the migration; it must not lose them.
      expect(await hostSeesAll(b.id, b.hostKey, emails), 'emails hosts still see after the migration').toEqual([...emails].sort());
    } finally {
      close(roles);
    }
  });

  it('R80 a wall imported from a JSON export carrying emails (authors and co-authors) holds none in any role’s document or its log; hosts see them, a review link without permission does not', async () => {
    const tag = tagged();
    const emails = [`import.author.${tag}@pd-${tag}.example`, `import.co.${tag}@pd-${tag}.example`];
    const src = await createBoard(srv.http, { title: `Source ${tag}` });
    const exp = (await (await fetch(`${srv.http}/api/boards/${src.id}/export.json`, { headers: { authorization: `Bearer ${src.hostKey}` } })).json()) as Record<string, unknown>;
    const domainId = (exp.domains as { id: string }[])[0]!.id;
    const body = {
      ...exp,
      notes: [
        { id: `imp-${tag}`, text: `Note importée ${tag}`, author: 'Importée', email: emails[0], org: 'Org', domainId, x: 10, y: 10, color: '#a5d6a7', createdAt: Date.now(), ownerId: '', coauthors: [{ author: 'Co importé', org: 'Org 2', email: emails[1] }] },
      ],
    };
    const res = await fetch(`${srv.http}/api/boards/import`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status, await res.clone().text()).toBe(201);
    const b = (await res.json()) as Awaited<ReturnType<typeof createBoard>>;
    const roles = await watchers(b, tag);
    try {
      for (const r of roles) await waitFor(r.y.doc, () => listNotes(r.y.doc).length === 1, 5000, `imported note at ${r.label}`);
      await sleep(300);
      const found = await leaks(b.id, roles, [...emails, `@pd-${tag}.example`]);
      expect(found).toEqual(none(found));
      expect(await hostSeesAll(b.id, b.hostKey, emails)).toEqual([...emails].sort());
    } finally {
      close(roles);
    }
  });

  it('R80 a host client that writes an email on a co-author (older client) has it taken out: no other role, no stored update gets it; hosts see it from the contact store', async () => {
    const tag = tagged();
    const email = `host.written.co.${tag}@pd-${tag}.example`;
    const b = await createBoard(srv.http, { title: `Co-auteur ${tag}` });
    const roles = await watchers(b, tag);
    const host = roles[0]!;
    try {
      const id = addNote(host.y.doc, { text: `Note ${tag}`, domainId: 'mentoring', author: 'Hôte' });
      updateNote(host.y.doc, id, { coauthors: [{ author: 'Co écrit', org: 'Org', email }] });
      for (const r of roles) await waitFor(r.y.doc, () => Boolean(listNotes(r.y.doc)[0]?.coauthors?.length), 5000, `co-author at ${r.label}`);
      await sleep(500);
      const found = await leaks(b.id, roles, [email, `@pd-${tag}.example`]);
      expect.soft(found).toEqual(none(found));
      // Taken out of the document, it must still reach the hosts (as the import does, with an
      // author id of its own), not be dropped.
      expect(await hostSeesAll(b.id, b.hostKey, [email]), 'hosts still see the co-author’s email').toEqual([email]);
    } finally {
      close(roles);
    }
  });
});
