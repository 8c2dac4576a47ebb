import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { WriteRefusal, addNote, initBoard, deleteNote, updateNote, type NoteInput } from '@maillage/shared';
import { OwnNoteRescue, type LostNote } from './rescue.ts';

const SERVER = Symbol('server');
const ME = 'me-owner';

/** A client document with one domain, synced from a "server" document, and a rescue on it. */
function setup() {
  const server = new Y.Doc();
  initBoard(server, { title: 'T', template: 'relationship-mapping' });
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server), SERVER);
  const rescued: { lost: LostNote[]; code: string | null }[] = [];
  const rescue = new OwnNoteRescue(client, ME, (o) => o === SERVER, (lost, r) => rescued.push({ lost, code: r.code }));
  /** The server applies everything the client has, then `change`, and sends the result back. */
  const roundTrip = (change: (s: Y.Doc) => void) => {
    Y.applyUpdate(server, Y.encodeStateAsUpdate(client, Y.encodeStateVector(server)));
    const before = Y.encodeStateVector(client);
    change(server);
    Y.applyUpdate(client, Y.encodeStateAsUpdate(server, before), SERVER);
  };
  return { server, client, rescue, rescued, roundTrip };
}

const note = (text: string, ownerId = ME): NoteInput => ({ text, domainId: 'mentoring', author: 'A', email: '', org: '', ownerId });

afterEach(() => vi.useRealTimers());

describe('OwnNoteRescue (R63)', () => {
  it('a created note the server reverts comes back with its text, whichever of the revert and the refusal arrives first', () => {
    const { client, rescue, rescued, roundTrip } = setup();
    const a = addNote(client, note('typed while locked'));
    roundTrip((s) => deleteNote(s, a));
    expect(rescued).toEqual([]);
    rescue.refused({ code: WriteRefusal.Locked, at: Date.now() });
    expect(rescued).toEqual([{ code: 'locked', lost: [expect.objectContaining({ id: a, text: 'typed while locked', domainId: 'mentoring', edited: false })] }]);

    const b = addNote(client, note('second'));
    rescue.refused({ code: WriteRefusal.Locked, at: Date.now() });
    roundTrip((s) => deleteNote(s, b));
    expect(rescued[1]?.lost.map((l) => l.text)).toEqual(['second']);
  });

  it('an edit the server reverts comes back as the lost text (edited)', () => {
    const { client, rescue, rescued, roundTrip } = setup();
    const a = addNote(client, note('v1'));
    roundTrip(() => {});
    updateNote(client, a, { text: 'v2 typed offline' });
    roundTrip((s) => updateNote(s, a, { text: 'v1' }));
    rescue.refused({ code: WriteRefusal.Locked, at: Date.now() });
    expect(rescued).toEqual([{ code: 'locked', lost: [expect.objectContaining({ id: a, text: 'v2 typed offline', edited: true })] }]);
  });

  it('a host deleting one of our notes, far from any refusal, is not undone; nor are other people’s notes rescued', () => {
    vi.useFakeTimers();
    const { client, rescue, rescued, roundTrip } = setup();
    const mine = addNote(client, note('mine'));
    const theirs = addNote(client, note('theirs', 'someone-else'));
    roundTrip(() => {});
    roundTrip((s) => deleteNote(s, mine));
    vi.advanceTimersByTime(10_000);
    rescue.refused({ code: WriteRefusal.NotOwner, at: Date.now() });
    roundTrip((s) => deleteNote(s, theirs));
    rescue.refused({ code: WriteRefusal.NotOwner, at: Date.now() });
    expect(rescued).toEqual([]);
  });

  it('local changes and the local copy loading are never taken for reverts', () => {
    const { client, rescue, rescued } = setup();
    const a = addNote(client, note('x'));
    deleteNote(client, a);
    rescue.refused({ code: WriteRefusal.Locked, at: Date.now() });
    expect(rescued).toEqual([]);
    rescue.destroy();
  });
});
