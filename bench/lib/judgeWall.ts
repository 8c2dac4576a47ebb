/**
 * A wall with history, and the updates a participant's client really sends to it, for the
 * judging benchmark (bench/judge.ts, issue 12).
 *
 * "With history" matters: the old write rules judged the structs an update carried, including the
 * whole delete set a reconnecting client sends (every old deletion and overwritten field on the
 * wall, most of them other people's). So the wall is written by many participants over several
 * sessions (one Yjs client id per session, as browsers do), with moves and text edits by owners and
 * hosts, and notes deleted by others; its live note count is the wall size asked for.
 *
 * Updates are produced by a replica of the wall (the participant's page, with a fresh client id)
 * doing one thing through the shared helpers, exactly as the client writes, captured from the
 * replica's `update` event — or, for the reconnect, computed the way y-websocket's sync step 2 is:
 * `encodeStateAsUpdate(replica, serverStateVector)`, which carries the replica's whole delete set.
 */
import * as Y from 'yjs';
import { DEFAULT_TEMPLATE, LIMITS, addNote, deleteNote, initBoard, listDomains, roots, updateNote } from '@maillage/shared';
import { benchNote, noteText, rng } from './notes.ts';

/** The cases measured, in table order. `refused` says what the new rules must do with it. */
export const JUDGE_CASES = [
  { name: 'add', label: 'add one note (own)', refused: false },
  { name: 'edit', label: 'edit one field of own note (text)', refused: false },
  { name: 'move', label: 'move own note (x, y)', refused: false },
  { name: 'delete', label: 'delete own note', refused: false },
  { name: 'edit-other', label: 'refused: edit someone else\'s note', refused: true },
  { name: 'array', label: 'refused: a Y.Array under notes', refused: true },
  { name: 'reconnect', label: 'reconnect: sync step 2, 20 offline notes + whole delete set', refused: false },
] as const;
export type JudgeCaseName = (typeof JUDGE_CASES)[number]['name'];

/** The participant whose updates are judged. */
export const ME = 'owner-me-000000000000';
const PARTICIPANTS = 40;
const HOST_CLIENT = 7;
/** The participant's current page (a new session: a client id the wall has never seen). */
const ME_SESSION_CLIENT = 900_001;
/** Notes deleted over the wall's life, as a share of the live notes. */
const DELETED_SHARE = 0.1;
/** Notes the participant wrote offline before reconnecting. */
export const OFFLINE_NOTES = 20;

export interface JudgeWall {
  /** Live notes on the wall (the size asked, less room for the cases' new notes at the limit). */
  notes: number;
  /** The server's document, encoded (samples start from a fresh copy of it). */
  state: Uint8Array;
  /** The server's document when the participant reconnects (others kept writing meanwhile). */
  stateAtReconnect: Uint8Array;
  /** The update of each case, and the state it applies to. */
  updates: Record<JudgeCaseName, { update: Uint8Array; base: 'state' | 'stateAtReconnect' }>;
  /** Counts describing the history (for the report). */
  history: { structs: number; deleteSetRanges: number; clients: number; deletedNotes: number; moves: number; edits: number };
}

/** Client id of `owner`'s `session`-th page: several sessions per person over a wall's life. */
const clientOf = (owner: number, session: number) => 10_000 + owner * 8 + (session % 8);
const ownerId = (p: number) => (p === 0 ? ME : `owner-${String(p).padStart(3, '0')}-00000000000000`);

function clone(state: Uint8Array, clientID?: number): Y.Doc {
  const d = new Y.Doc();
  Y.applyUpdate(d, state);
  if (clientID !== undefined) d.clientID = clientID;
  return d;
}

/** Runs `act` on a fresh replica of `state` and returns the one update it emitted. */
function capture(state: Uint8Array, act: (doc: Y.Doc) => void): Uint8Array {
  const d = clone(state, ME_SESSION_CLIENT);
  const out: Uint8Array[] = [];
  d.on('update', (u: Uint8Array) => out.push(u));
  act(d);
  d.destroy();
  if (out.length !== 1) throw new Error(`expected one update, got ${out.length}`);
  return out[0] as Uint8Array;
}

function noteOwners(doc: Y.Doc): Map<string, string> {
  const out = new Map<string, string>();
  roots(doc).notes.forEach((m, id) => out.set(id, m.get('ownerId') as string));
  return out;
}

/**
 * Other people's activity over `ops` steps: moves (60 %), text edits (25 %) and deletions (15 %),
 * each by the note's owner or, one time in five, by a host — never touching the participant's notes.
 */
function othersWrite(doc: Y.Doc, r: () => number, ops: number, counts: { moves: number; edits: number; deleted: number }, deletions: number): void {
  const others = Array.from(noteOwners(doc)).filter(([, o]) => o !== ME).map(([id]) => id);
  const byWhom = (id: string) => {
    const owner = roots(doc).notes.get(id)?.get('ownerId') as string;
    const p = Number(owner.slice(6, 9));
    return r() < 0.2 ? HOST_CLIENT : clientOf(p, Math.floor(r() * 8));
  };
  let deletedLeft = deletions;
  for (let k = 0; k < ops || deletedLeft > 0; k++) {
    const i = Math.floor(r() * others.length);
    const id = others[i] as string;
    doc.clientID = byWhom(id);
    const roll = r();
    if (deletedLeft > 0 && (roll < 0.15 || k >= ops)) {
      deleteNote(doc, id);
      others.splice(i, 1);
      deletedLeft--;
      counts.deleted++;
    } else if (roll < 0.75) {
      updateNote(doc, id, { x: 20 + Math.floor(r() * 60), y: 100 + Math.floor(r() * 20_000) });
      counts.moves++;
    } else {
      updateNote(doc, id, { text: noteText(r) });
      counts.edits++;
    }
  }
}

/**
 * Builds a wall of `notes` live notes with history, and every case's update.
 * Deterministic for a given `seed`.
 */
export function buildJudgeWall(asked: number, seed = 12): JudgeWall {
  // The cases add notes (1, and 20 on reconnect): a wall asked at the limit keeps room for them,
  // or the new rules would refuse them for the limit instead of judging them.
  const notes = Math.min(asked, LIMITS.notesPerBoard - OFFLINE_NOTES - 1);
  const r = rng(seed);
  const doc = new Y.Doc();
  doc.clientID = HOST_CLIENT;
  initBoard(doc, { title: 'Bench', template: DEFAULT_TEMPLATE, now: 1_700_000_000_000 });
  const domains = listDomains(doc).map((d) => d.id);
  const deleted = Math.round(notes * DELETED_SHARE);
  const counts = { moves: 0, edits: 0, deleted: 0 };
  // Notes written one per transaction, as people type them, each by a session of its owner;
  // others delete some along the way (so a wall at the size limit can still be built).
  const every = Math.round(1 / DELETED_SHARE);
  for (let i = 0; i < notes + deleted; i++) {
    const p = i % PARTICIPANTS;
    doc.clientID = clientOf(p, Math.floor(i / (PARTICIPANTS * 16)));
    addNote(doc, benchNote(i, domains, r, ownerId(p)));
    if (i % (every + 1) === every && counts.deleted < deleted) othersWrite(doc, r, 0, counts, 1);
  }
  // The participant moves their own notes about too.
  const mine = Array.from(noteOwners(doc)).filter(([, o]) => o === ME).map(([id]) => id);
  for (const id of mine) {
    doc.clientID = clientOf(0, Math.floor(r() * 8));
    updateNote(doc, id, { x: 30, y: 100 + Math.floor(r() * 20_000) });
    counts.moves++;
  }
  othersWrite(doc, r, Math.round(notes * 0.7), counts, deleted - counts.deleted);
  if (roots(doc).notes.size !== notes) throw new Error(`wall has ${roots(doc).notes.size} notes, wanted ${notes}`);
  const state = Y.encodeStateAsUpdate(doc);

  const owners = noteOwners(doc);
  const myNotes = Array.from(owners).filter(([, o]) => o === ME).map(([id]) => id);
  const othersNote = Array.from(owners).find(([, o]) => o !== ME)?.[0] as string;
  const myNote = myNotes[Math.floor(myNotes.length / 2)] as string;
  const nextNote = (k: number) => benchNote(notes + deleted + k, domains, r, ME);

  const updates = {
    add: { update: capture(state, (d) => addNote(d, nextNote(0))), base: 'state' },
    edit: { update: capture(state, (d) => updateNote(d, myNote, { text: 'Ateliers du mardi: 14 jeunes inscrits, 3 mentors bénévoles.' })), base: 'state' },
    move: { update: capture(state, (d) => updateNote(d, myNote, { x: 44, y: 1234 })), base: 'state' },
    delete: { update: capture(state, (d) => deleteNote(d, myNote)), base: 'state' },
    'edit-other': { update: capture(state, (d) => updateNote(d, othersNote, { text: 'Pas la mienne.' })), base: 'state' },
    array: { update: capture(state, (d) => d.transact(() => roots(d).notes.set('x', new Y.Array() as never))), base: 'state' },
  } as JudgeWall['updates'];

  // Reconnect: the page kept the wall as it was (history included), wrote 20 notes offline, one
  // at a time; meanwhile others kept moving, editing and deleting on the server.
  const replica = clone(state, ME_SESSION_CLIENT);
  for (let k = 0; k < OFFLINE_NOTES; k++) addNote(replica, nextNote(1 + k));
  const server = clone(state);
  othersWrite(server, r, 200, { moves: 0, edits: 0, deleted: 0 }, 10);
  const stateAtReconnect = Y.encodeStateAsUpdate(server);
  updates.reconnect = { update: Y.encodeStateAsUpdate(replica, Y.encodeStateVector(server)), base: 'stateAtReconnect' };

  const ds = Y.decodeUpdate(updates.reconnect.update).ds;
  let ranges = 0;
  for (const list of ds.clients.values()) ranges += list.length;
  let structs = 0;
  for (const list of doc.store.clients.values()) structs += list.length;
  const history = { structs, deleteSetRanges: ranges, clients: doc.store.clients.size, deletedNotes: counts.deleted, moves: counts.moves, edits: counts.edits };
  doc.destroy();
  replica.destroy();
  server.destroy();
  return { notes, state, stateAtReconnect, updates, history };
}
