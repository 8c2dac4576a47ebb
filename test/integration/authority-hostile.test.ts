/**
 * The server is the authority over the wall, whatever a client sends (issue 12; docs/spec.md R51).
 *
 * A property test with fast-check against a real server (in this process: a crash or an
 * unhandled rejection fails the run). Random steps, each one hostile update sent by a participant
 * (with and without a device secret), a review link or a host, over a raw websocket speaking the
 * y-websocket framing or through a real provider: hand-made Yjs structs with wrong types under
 * every root (meta, notes, domains, clusters, relations, an unknown root) and in every field
 * (Y.Array, Y.Text, Y.Map, strings, numbers, null, undefined, objects, values at and over the
 * limits, 120 000 characters), fields set twice in one frame (two documents' updates merged with
 * Y.mergeUpdates, e.g. two ownerId values), deletions of other people's records (an update made
 * on a copy that holds the victim's note, sent alone), a note as a plain string, the 35-byte
 * update putting a Y.Array under `notes` (it crashed the process once a review link connected),
 * co-authors of any shape and size.
 *
 * After EVERY step:
 *  - the server is up (/healthz) and an honest participant (the canary) still syncs: its edit
 *    reaches a host observer, and it was never refused;
 *  - the server's document, as a host observer holds it, passes the schema: every record of every
 *    root validates with the shared zod schema (strict: no unknown field), meta too, and no other
 *    root holds anything;
 *  - ownership holds: the victim's notes and connector and the host's note are exactly as they
 *    were at the start; after any step but a host's (hosts aim only at their own or new records
 *    here) the domains, the clusters and the wall's metadata are as before the step, no note or
 *    connector changed owner, and every new one belongs to its sender; after a review link's step
 *    nothing changed at all;
 *  - the sender's connection stays open (a refused write is reverted, not punished) and every
 *    refusal it was sent names a WriteRefusal code (`read_only` for a review link); a sender
 *    using a real provider converges on the server's document (it was sent the fix);
 *  - a review link that connects now syncs (the redacted mirror) and shows the same notes;
 *  - every REST endpoint answers below 500: summary, links, CSV/JSON/PDF exports, snapshots
 *    (list, save, view, restore), clustering; the JSON export still holds the victim's note.
 * At the end of each run a host ends the session over socket.io (and unlocks), and the canary
 * writes once more.
 *
 * FC_SEED=<n> replays; HOSTILE_RUNS / HOSTILE_STEPS make it bigger; FC_SHRINK=1 shrinks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as Y from 'yjs';
import { LIMITS, addNote, addRelation, acceptCluster, encodeUpdate, ownerIdFromSecret, refusalCode, updateNote } from '@maillage/shared';
import { createBoard, startServer, type TestServer } from '../helpers/server.ts';
import { connectClient, sleep, waitFor, type YClient } from '../helpers/yclient.ts';
import { call, joinSession } from '../helpers/session.ts';
import { RawSession, modelView, schemaViolations } from '../helpers/authority-sim.ts';
import { actionArb, buildUpdate, describeAction, touchesOthers, type Action, type WallIds } from '../helpers/authority-hostile.ts';

const RUNS = Number(process.env.HOSTILE_RUNS ?? 4);
const STEPS = Number(process.env.HOSTILE_STEPS ?? 20);
const SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : Math.floor(Math.random() * 2 ** 31);

const SENDERS = ['raw-participant', 'raw-anon', 'raw-review', 'raw-host', 'provider-participant', 'provider-review'] as const;
type Sender = (typeof SENDERS)[number];
interface Step {
  sender: Sender;
  act: Action;
}
const stepArb: fc.Arbitrary<Step> = fc.record({ sender: fc.constantFrom(...SENDERS), act: actionArb });
/** Random steps, and somewhere among them the 35-byte Y.Array-under-notes update of issue 12. */
const scriptArb = fc.tuple(fc.array(stepArb, { minLength: STEPS - 1, maxLength: STEPS - 1 }), fc.nat(), fc.constantFrom<Sender>(...SENDERS)).map(([steps, at, sender]) => {
  const out = [...steps];
  out.splice(at % (steps.length + 1), 0, { sender, act: { a: 'arrayUnderNotes', key: 'x' } });
  return out;
});

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer();
});
afterAll(async () => {
  await srv?.close();
});

const RECORD_ROOTS = ['meta', 'notes', 'domains', 'clusters', 'relations'] as const;
type View = Record<(typeof RECORD_ROOTS)[number], Record<string, unknown>>;
function viewOf(doc: Y.Doc): View {
  return Object.fromEntries(RECORD_ROOTS.map((r) => [r, doc.getMap<unknown>(r).toJSON() as Record<string, unknown>])) as View;
}
const ownerOf = (rec: unknown): unknown => (rec && typeof rec === 'object' ? (rec as { ownerId?: unknown }).ownerId : undefined);

/** JSON with object keys sorted: two documents list a map's keys in different orders. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1))) : v,
  );
}

/** Polls `predicate` (both documents may change, so no single doc's events tell): true, or false after `ms`. */
async function until(predicate: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) return false;
    await sleep(25);
  }
  return true;
}

function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), ms)))]).finally(() => clearTimeout(timer));
}

async function oneRun(steps: Step[], runNo: number): Promise<void> {
  const b = await createBoard(srv.http, { title: 'Hostile', template: 'relationship-mapping' });
  const victimSecret = `hostile-victim-secret-${runNo}-0001`;
  const attackerSecret = `hostile-attacker-secret-${runNo}-02`;
  const canarySecret = `hostile-canary-secret-${runNo}-0003`;
  const myOwner = ownerIdFromSecret(attackerSecret);
  const victimOwner = ownerIdFromSecret(victimSecret);
  const clients: YClient[] = [];
  const open = (opts: Parameters<typeof connectClient>[2]) => {
    const c = connectClient(srv.ws, b.id, opts);
    clients.push(c);
    return c;
  };
  const trail: string[] = [];
  const t0 = Date.now();
  const where = () => `run ${runNo}, seed ${SEED}, steps so far:\n${trail.join('\n')}`;
  try {
    const host = open({ key: b.hostKey });
    const victim = open({ ownerSecret: victimSecret });
    const canary = open({ ownerSecret: canarySecret });
    const attacker = open({ ownerSecret: attackerSecret });
    await within(Promise.all(clients.map((c) => c.synced)), 10_000, 'first sync');

    // The wall before the attack: a victim's note and connector, a host's note and an accepted
    // cluster, the attacker's own note, the canary's note.
    const v1 = addNote(victim.doc, { text: 'note de la victime', domainId: 'mentoring', ownerId: victimOwner, author: 'Victime' });
    const v2 = addNote(victim.doc, { text: 'autre note de la victime', domainId: 'other', ownerId: victimOwner, author: 'Victime' });
    const rel = addRelation(victim.doc, { from: v1, to: v2, label: 'lien', ownerId: victimOwner });
    const hostNote = addNote(host.doc, { text: "note de l'hôte", domainId: 'other', ownerId: '' });
    const cluster = acceptCluster(host.doc, { label: 'groupe', noteIds: [v1, hostNote], terms: ['mentorat'], score: 0.5 });
    const mine = addNote(attacker.doc, { text: "note de l'attaquant", domainId: 'other', ownerId: myOwner, author: 'Mallory' });
    const canaryNote = addNote(canary.doc, { text: 'canari 0', domainId: 'other', ownerId: ownerIdFromSecret(canarySecret) });
    await waitFor(host.doc, () => [v1, v2, mine, canaryNote].every((id) => host.doc.getMap('notes').has(id)) && host.doc.getMap('relations').has(rel), 5000, 'setup');
    await sleep(100);
    const initial = viewOf(host.doc);
    expect(schemaViolations(host.doc), `the wall before the attack (${where()})`).toEqual([]);
    const protectedNotes = [v1, v2, hostNote];

    let canaryN = 0;
    /** The canary edits its note and the host sees it: the server is alive and has judged what came before. */
    const canaryRound = async (what: string) => {
      const t = `canari ${++canaryN}`;
      updateNote(canary.doc, canaryNote, { text: t });
      await waitFor(host.doc, () => (host.doc.getMap<Y.Map<unknown>>('notes').get(canaryNote)?.get('text') as unknown) === t, 5000, `the canary's edit after ${what}`);
      expect(canary.denials, `the canary was refused (${where()})`).toEqual([]);
      expect(victim.denials, `the victim was refused (${where()})`).toEqual([]);
    };
    const withoutCanary = (v: View): View => {
      const notes = { ...v.notes };
      delete notes[canaryNote];
      return { ...v, notes };
    };

    const api = async (method: string, path: string, key: string | null, body?: unknown) => {
      const res = await fetch(`${srv.http}/api/boards/${b.id}${path}`, {
        method,
        headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const buf = Buffer.from(await res.arrayBuffer());
      expect(res.status, `${method} ${path} answered ${res.status}: ${buf.toString('utf8').slice(0, 200)} (${where()})`).toBeLessThan(500);
      return { status: res.status, text: buf.toString('utf8') };
    };
    const restRound = async () => {
      expect((await fetch(`${srv.http}/healthz`)).status).toBe(200);
      expect((await api('GET', '', null)).status).toBe(200);
      expect((await api('GET', '/links', b.hostKey)).status).toBe(200);
      expect((await api('GET', '/export.csv', b.hostKey)).status).toBe(200);
      const json = await api('GET', '/export.json', b.hostKey);
      expect(json.status).toBe(200);
      const exported = JSON.parse(json.text) as { notes: { id: string; text: string; ownerId: string }[] };
      const victimNote = exported.notes.find((n) => n.id === v1);
      expect(victimNote && { text: victimNote.text, ownerId: victimNote.ownerId }, `the victim's note in the JSON export (${where()})`).toEqual({ text: 'note de la victime', ownerId: victimOwner });
      expect((await api('GET', '/export.pdf', b.hostKey)).status).toBe(200);
      expect((await api('GET', '/snapshots', b.hostKey)).status).toBe(200);
      const saved = await api('POST', '/snapshots', b.hostKey, { name: `pas ${trail.length}` });
      expect(saved.status).toBe(201);
      const sid = (JSON.parse(saved.text) as { id: string }).id;
      expect((await api('GET', `/snapshots/${sid}`, b.hostKey)).status).toBe(200);
      expect((await api('POST', `/snapshots/${sid}/restore`, b.hostKey)).status).toBe(200);
      expect([200, 202, 409, 429]).toContain((await api('POST', '/clusters', b.hostKey)).status);
    };

    /** Every refusal names its WriteRefusal code; a review link's are all `read_only`. */
    const assertRefusals = (reasons: string[], sender: Sender) => {
      for (const reason of reasons) {
        const code = refusalCode(reason);
        expect(code, `refusal "${reason.slice(0, 80)}" has no WriteRefusal code (${where()})`).not.toBeNull();
        if (sender.endsWith('-review')) expect(code, `a review link's refusal (${where()})`).toBe('read_only');
      }
    };

    await canaryRound('setup');
    await restRound();

    for (const [i, { sender: wanted, act }] of steps.entries()) {
      // Hosts may change anyone's records; here they only send what no role may write.
      const sender: Sender = wanted === 'raw-host' && touchesOthers(act) ? 'raw-participant' : wanted;
      trail.push(`${i}: ${sender} ${describeAction(act)}`);
      const before = viewOf(host.doc);
      const ids: WallIds = {
        victimNote: v1,
        victimRelation: rel,
        victimOwner,
        hostNote,
        cluster,
        domain: 'mentoring',
        mine,
        myOwner,
        canaryNote,
        fresh: `fresh${runNo}x${i}`,
      };

      if (sender.startsWith('raw-')) {
        const param = { 'raw-participant': `?o=${attackerSecret}`, 'raw-anon': '', 'raw-review': `?k=${b.reviewKey}`, 'raw-host': `?k=${b.hostKey}` }[sender as 'raw-host'];
        const raw = await RawSession.open(`${srv.ws}/${b.id}${param}`);
        try {
          const update = buildUpdate(act, Y.encodeStateAsUpdate(raw.doc), ids);
          if (update) {
            raw.send(encodeUpdate(update));
            await raw.roundTrip().catch(() => undefined);
          }
          trail[trail.length - 1] += ` → ${update ? `${update.length} B` : 'nothing to aim at'}, close ${raw.closeCode ?? 'none'}, auth ${JSON.stringify(raw.denials.map((d) => d.slice(0, 60)))}`;
          // A refused write is reverted on the live connection, which stays open (only a frame
          // over the size limit may close it), and the sender is told why with a WriteRefusal code.
          if (!update || encodeUpdate(update).length <= LIMITS.wsMessageBytes) expect(raw.closeCode, `the sender's connection was closed (${where()})`).toBeNull();
          assertRefusals(raw.denials, sender);
        } finally {
          raw.close();
        }
      } else {
        // A review provider lives for one step only, so that the review link connecting after
        // each step finds no mirror and builds it from the document as it is now.
        const via = sender === 'provider-participant' ? attacker : connectClient(srv.ws, b.id, { key: b.reviewKey });
        if (via !== attacker) await within(via.synced, 5000, 'a review provider syncing');
        const denied = via.denials.length;
        const closed = via.closes.length;
        const update = buildUpdate(act, Y.encodeStateAsUpdate(via.doc), ids);
        if (update) Y.applyUpdate(via.doc, update, 'hostile');
        const note = () => {
          trail[trail.length - 1] += ` → ${update ? `${update.length} B` : 'nothing'}, auth ${JSON.stringify(via.denials.slice(denied).map((d) => d.slice(0, 60)))}, closes ${JSON.stringify(via.closes.slice(closed))}`;
          expect(via.closes.slice(closed), `the provider sender's connection was closed (${where()})`).toEqual([]);
          assertRefusals(via.denials.slice(denied), sender);
        };
        if (sender === 'provider-participant') {
          // It was sent the fix: its document ends equal to the server's.
          await until(() => canonical(viewOf(via.doc)) === canonical(viewOf(host.doc)), 5000);
          note();
          expect(viewOf(via.doc), `the provider sender's document after the step (${where()})`).toEqual(viewOf(host.doc));
        } else if (update) {
          await until(() => via.denials.length > denied, 2000);
          note();
        } else note();
        if (via !== attacker) via.destroy();
      }

      if (process.env.HOSTILE_VERBOSE) console.log(`${((Date.now() - t0) / 1000).toFixed(1)}s ${trail.at(-1)}`);
      await canaryRound(`step ${i}`);
      const after = viewOf(host.doc);

      // A review link connecting now syncs with the redacted mirror, which shows the same notes.
      const review = connectClient(srv.ws, b.id, { key: b.reviewKey });
      try {
        await within(review.synced, 5000, `a review link syncing after step ${i} (${where()})`);
        await until(() => canonical(modelView(review.doc)) === canonical(modelView(host.doc)), 5000);
        expect(modelView(review.doc), `the review link's notes (${where()})`).toEqual(modelView(host.doc));
      } finally {
        review.destroy();
      }
      // The server's document passes the schema.
      expect(schemaViolations(host.doc), `schema of the server's document (${where()})`).toEqual([]);
      // The victim's and the host's records are untouched, whoever sent the step.
      for (const id of protectedNotes) expect(after.notes[id], `note ${id} (${where()})`).toEqual(initial.notes[id]);
      expect(after.relations[rel], `the victim's connector (${where()})`).toEqual(initial.relations[rel]);
      if (sender !== 'raw-host') {
        // (Compared with the step before: a host's earlier step may have validly changed them.)
        expect(after.meta, `meta (${where()})`).toEqual(before.meta);
        expect(after.domains, `domains (${where()})`).toEqual(before.domains);
        expect(after.clusters, `clusters (${where()})`).toEqual(before.clusters);
        for (const root of ['notes', 'relations'] as const) {
          for (const [id, rec] of Object.entries(after[root])) {
            if (id in before[root]) expect(ownerOf(rec), `${root}[${id}] changed owner (${where()})`).toBe(ownerOf(before[root][id]));
            else if (sender !== 'raw-anon') expect(ownerOf(rec), `new ${root}[${id}] is not its sender's (${where()})`).toBe(myOwner);
            // Without a device secret the connection is its own owner (SyncServer: a `c-` id of its
            // own): never the host's '' nor anybody's id.
            else expect(ownerOf(rec), `new ${root}[${id}] from a connection without a device secret (${where()})`).toMatch(/^c-[A-Za-z0-9_-]+$/);
          }
        }
      }
      if (sender.endsWith('-review')) expect(withoutCanary(after), `a review link changed the wall (${where()})`).toEqual(withoutCanary(before));

      await restRound();
      if (process.env.HOSTILE_VERBOSE) console.log(`${((Date.now() - t0) / 1000).toFixed(1)}s checked`);
    }

    // The host ends the session over socket.io (a snapshot, the wall locked), then unlocks.
    const hostSock = await joinSession(srv.http, b.id, { key: b.hostKey });
    try {
      const ended = await call(hostSock, 'host:endSession', {});
      expect(ended.ok, `host:endSession (${where()})`).toBe(true);
      expect((await call(hostSock, 'host:lock', { locked: false })).ok).toBe(true);
    } finally {
      hostSock.close();
    }
    await canaryRound('the end of the session');
    expect(schemaViolations(host.doc), `schema at the end (${where()})`).toEqual([]);
    await restRound();
  } finally {
    for (const c of clients) c.destroy();
  }
}

describe('R51 the server is the authority whatever a client sends', () => {
  it(
    'R51 hostile updates from every role: the server stays up, its document passes the schema, nobody else\'s records change, every endpoint answers',
    async () => {
      console.log(`authority-hostile: seed ${SEED} (FC_SEED=${SEED} to replay), ${RUNS} runs × ${STEPS} steps`);
      let runNo = 0;
      await fc.assert(
        fc.asyncProperty(scriptArb, async (steps) => {
          await oneRun(steps, runNo++);
        }),
        { seed: SEED, numRuns: RUNS, endOnFailure: !process.env.FC_SHRINK, verbose: 0 },
      );
    },
    Number(process.env.HOSTILE_TIMEOUT_MS ?? 170_000),
  );
});
