/**
 * The "live" method of the judging benchmark (bench/judge.ts, issue 12): one server document kept
 * warm for the whole run, as a room keeps its wall, judging a stream of distinct updates while
 * other people keep writing — instead of a fresh copy of the wall per sample.
 *
 * Why both methods: the fresh-copy method isolates one call on a wall nobody touched before, but
 * it makes eight 2 MB walls per batch and forces a full collection before timing, and right after
 * a forced full collection V8 runs the next calls several times slower (lazy sweeping of the
 * harness's garbage on the main thread; measured in docs/benchmarks.md) — a cost a room never has.
 * The live method has no forced collection: whatever garbage collection happens during a judged
 * call (the judge's own, or the other writers') is billed to it, as it would be on the server.
 *
 * Three replicas talk through the server document, exactly as the room relays them:
 *  - the participant's page (`me`), whose updates are timed, one per event-loop turn;
 *  - everybody else (`others`, a host's page), moving and editing other people's notes between
 *    the timed updates (untimed, judged as a host);
 *  - for the reconnect case, an offline page per sample: a copy of the wall as built (the whole
 *    delete set included) with 20 notes written offline, its sync step 2 made before the timed
 *    loop; meanwhile others keep writing on the server, and earlier pages' notes come and go.
 * The wall is judged with the room's context, contacts taken out of new notes (issue 13).
 * Every update the server produces is applied to the replicas that are online, so each next update
 * is written against the current wall. The wall keeps its size: a note added by a sample is
 * deleted again (untimed), a note deleted by a sample is replaced (untimed).
 */
import * as Y from 'yjs';
import { addNote, deleteNote, listDomains, roots, updateNote } from '@maillage/shared';
import { judgeAndApply, prepareForJudging, type JudgeContext, type JudgeResult } from '../../server/src/auth/judge.ts';
import { ME, OFFLINE_NOTES, type JudgeCaseName, type JudgeWall } from './judgeWall.ts';
import { benchNote, noteText, rng } from './notes.ts';

export interface LiveRun {
  ms: number[];
  cpuMs: number[];
  /** What the judge did with the timed updates (every distinct outcome seen). */
  verdicts: string[];
  /** Live notes on the server's wall at the end (the method keeps the wall's size). */
  notesAtEnd: number;
  /** Notes deleted over the run (history grows, as on a real wall). */
  deletedDuringRun: number;
  /** Times the wall was reopened from its built state to bound its history (see the sample loop). */
  reopens: number;
}

interface OfflinePage {
  /** Its sync step 2. */
  update: Uint8Array;
  /** The notes it wrote offline. */
  ids: string[];
}

/** The room's context for a participant: contacts are taken out of the notes (issue 13). */
const PARTICIPANT: JudgeContext = { role: 'participant', ownerId: ME, locked: false, privateWriting: false, takeContacts: true };
const HOST: JudgeContext = { role: 'host', ownerId: null, locked: false, privateWriting: false, takeContacts: true };
const noop = () => undefined;
/** Deletions during the run after which the live wall is reopened (see the sample loop). */
const REOPEN_AFTER_DELETIONS = 500;

function replicaOf(state: Uint8Array, clientID: number): Y.Doc {
  const d = new Y.Doc();
  Y.applyUpdate(d, state);
  d.clientID = clientID;
  return d;
}

/** Runs `act` on `doc` and returns the single update it produced. */
function write(doc: Y.Doc, act: () => void): Uint8Array {
  const out: Uint8Array[] = [];
  const on = (u: Uint8Array) => out.push(u);
  doc.on('update', on);
  try {
    act();
  } finally {
    doc.off('update', on);
  }
  if (out.length !== 1) throw new Error(`expected one update, got ${out.length}`);
  return out[0] as Uint8Array;
}

/**
 * Times `samples` updates of case `c` on one warm document (after `warmup` untimed ones).
 * `cpu` reads the main thread's CPU time in ms.
 */
export async function liveSamples(wall: JudgeWall, c: JudgeCaseName, samples: number, warmup: number, cpu: () => number, collect?: () => void): Promise<LiveRun> {
  const r = rng(1200 + samples);
  /** The wall as the room loads it, and the two pages that join it. */
  const load = () => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, wall.state);
    prepareForJudging(doc);
    doc.on('update', noop); // the room's broadcast listener
    return { server: doc, me: replicaOf(wall.state, 910_001), others: replicaOf(wall.state, 7) };
  };
  let { server, me, others } = load();
  let online = [me, others];
  /** Reopens the wall from its built state. */
  const open = () => {
    for (const d of [server, ...online]) d.destroy();
    ({ server, me, others } = load());
    online = [me, others];
  };
  const domains = listDomains(server).map((d) => d.id);
  let serial = 0;
  const newNote = () => ({ ...benchNote(serial++, domains, r, ME), y: 100 + Math.floor(r() * 20_000) });

  const relay = (res: JudgeResult) => {
    if (res.update) for (const d of online) Y.applyUpdate(d, res.update, 'server');
    if (res.error !== undefined || res.incomplete) throw new Error(`live ${c}: the judge could not apply an update`);
  };
  const send = (ctx: JudgeContext, update: Uint8Array) => relay(judgeAndApply(server, update, ctx, ctx));
  const mine = () => {
    const out: string[] = [];
    roots(me).notes.forEach((m, id) => {
      if (m.get('ownerId') === ME) out.push(id);
    });
    return out;
  };
  const othersNotes = (): string[] => {
    const out: string[] = [];
    roots(others).notes.forEach((m, id) => {
      if (m.get('ownerId') !== ME) out.push(id);
    });
    return out;
  };
  let pool = othersNotes();
  let deletedSinceOpen = 0;
  let reopens = 0;
  /** Everyone else: a move or a text edit of someone else's note, judged as a host. */
  const othersWrite = (steps: number) => {
    for (let k = 0; k < steps; k++) {
      const id = pool[Math.floor(r() * pool.length)] as string;
      if (!roots(others).notes.has(id)) {
        pool = othersNotes();
        continue;
      }
      const patch = r() < 0.75 ? { x: 20 + Math.floor(r() * 60), y: 100 + Math.floor(r() * 20_000) } : { text: noteText(r) };
      send(HOST, write(others, () => updateNote(others, id, patch)));
    }
  };

  // Reconnect: each page went offline with the wall as built (its whole history, hence its whole
  // delete set) and wrote its notes there; its sync step 2 is computed against the state vector it
  // had, which is what it sends whatever the server did since (it holds nothing newer). Made
  // before any call is timed, so cloning a 2 MB wall per sample is not garbage billed to the judge.
  const offlinePages: OfflinePage[] = [];
  if (c === 'reconnect') {
    const sv = Y.encodeStateVectorFromUpdate(wall.state);
    for (let k = 0; k < samples + warmup; k++) {
      const page = replicaOf(wall.state, 920_000 + k);
      const ids: string[] = [];
      for (let j = 0; j < OFFLINE_NOTES; j++) ids.push(addNote(page, newNote()));
      offlinePages.push({ update: Y.encodeStateAsUpdate(page, sv), ids });
      page.destroy();
    }
    collect?.();
  }

  const ms: number[] = [];
  const cpuMs: number[] = [];
  const verdicts = new Set<string>();
  let deletedDuringRun = 0;
  let cursor = 0;
  for (let i = -warmup; i < samples; i++) {
    // Each reconnect sample deletes its 20 notes again: past REOPEN_AFTER_DELETIONS deletions
    // (as many as the built wall's own history) the wall is reopened from its built state, so the
    // history stays that of the wall asked for instead of growing 20 deletions per sample.
    if (deletedSinceOpen >= REOPEN_AFTER_DELETIONS) {
      open();
      reopens++;
      pool = othersNotes();
      deletedSinceOpen = 0;
    }
    othersWrite(2);
    // The update to time, written against the current wall, and what to do after it (untimed).
    let update: Uint8Array;
    let after: () => void = noop;
    const myNotes = mine();
    const myNote = myNotes[cursor++ % myNotes.length] as string;
    switch (c) {
      case 'add': {
        update = write(me, () => addNote(me, newNote()));
        after = () => {
          const added = mine().find((id) => !myNotes.includes(id));
          if (added) send(PARTICIPANT, write(me, () => deleteNote(me, added)));
          deletedDuringRun++;
          deletedSinceOpen++;
        };
        break;
      }
      case 'edit':
        update = write(me, () => updateNote(me, myNote, { text: `${noteText(r)} (${i})` }));
        break;
      case 'move':
        update = write(me, () => updateNote(me, myNote, { x: 20 + (i & 31), y: 100 + Math.floor(r() * 20_000) }));
        break;
      case 'delete':
        update = write(me, () => deleteNote(me, myNote));
        after = () => send(PARTICIPANT, write(me, () => addNote(me, newNote())));
        deletedDuringRun++;
        deletedSinceOpen++;
        break;
      case 'edit-other': {
        const theirs = pool[Math.floor(r() * pool.length)] as string;
        update = write(me, () => updateNote(me, theirs, { text: `Pas la mienne (${i}).` }));
        break;
      }
      case 'array':
        update = write(me, () => me.transact(() => roots(me).notes.set(`bad-${i + warmup}`, new Y.Array() as never)));
        break;
      case 'reconnect': {
        // The others kept writing on the server while the page was offline.
        othersWrite(10);
        const offline = offlinePages[i + warmup] as OfflinePage;
        update = offline.update;
        after = () => {
          // A host tidies the wall: the offline notes go again, so the wall keeps its size.
          const fresh = offline.ids.filter((id) => roots(others).notes.has(id));
          send(HOST, write(others, () => others.transact(() => fresh.forEach((id) => roots(others).notes.delete(id)))));
          deletedDuringRun += fresh.length;
          deletedSinceOpen += fresh.length;
        };
        break;
      }
    }
    const before = roots(server).notes.size;
    // Each update arrives in its own event-loop turn, as a socket message does.
    await new Promise<void>((res) => setImmediate(res));
    const c0 = cpu();
    const t0 = performance.now();
    const res = judgeAndApply(server, update, PARTICIPANT, PARTICIPANT);
    const dt = performance.now() - t0;
    const dc = cpu() - c0;
    if (i >= 0) {
      ms.push(dt);
      cpuMs.push(dc);
    }
    const delta = roots(server).notes.size - before;
    verdicts.add(`${res.refusals.length ? `${res.refusals.length} put back` : 'kept'}, notes ${delta >= 0 ? '+' : ''}${delta}`);
    relay(res);
    after();
  }
  const notesAtEnd = roots(server).notes.size;
  for (const d of [server, ...online]) d.destroy();
  return { ms, cpuMs, verdicts: [...verdicts], notesAtEnd, deletedDuringRun, reopens };
}
