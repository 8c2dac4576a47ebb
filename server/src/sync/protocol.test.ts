import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import { MessageType, ProtocolError, decodeMessage, encodeAwareness, encodeSyncStep1, encodeUpdate } from '@maillage/shared';
import { handleMessage } from './protocol.ts';
import type { Peer } from './Peer.ts';

function target() {
  const doc = new Y.Doc();
  return { doc, awareness: new awarenessProtocol.Awareness(doc) };
}
const peer = (role: Peer['role'], ownerId: string | null = null): Peer => ({ id: role, role, ownerId, send: () => {}, close: () => {} });

describe('protocol handling', () => {
  it('answers sync step 1 with the missing state', () => {
    const t = target();
    t.doc.getMap('notes').set('a', 'x');
    const client = new Y.Doc();
    const res = handleMessage(t, decodeMessage(encodeSyncStep1(client)), peer('participant'));
    expect(res.replies).toHaveLength(1);
    const reply = decodeMessage(res.replies[0] as Uint8Array);
    if (reply.type !== MessageType.Sync) throw new Error('expected sync');
    Y.applyUpdate(client, reply.payload);
    expect(client.getMap('notes').get('a')).toBe('x');
  });

  it('applies a writer update with the peer as origin', () => {
    const t = target();
    const p = peer('host');
    let origin: unknown = null;
    t.doc.on('update', (_u: Uint8Array, o: unknown) => (origin = o));
    const src = new Y.Doc();
    src.getMap('meta').set('title', 'Atelier');
    const res = handleMessage(t, decodeMessage(encodeUpdate(Y.encodeStateAsUpdate(src))), p);
    expect(res.refusals).toEqual([]);
    expect(t.doc.getMap('meta').get('title')).toBe('Atelier');
    expect(origin).toBe(p);
  });

  it('refuses a review update without touching the document, and says why', () => {
    const t = target();
    const src = new Y.Doc();
    src.getMap('notes').set('n', 1);
    const res = handleMessage(t, decodeMessage(encodeUpdate(Y.encodeStateAsUpdate(src))), peer('review'));
    expect(t.doc.getMap('notes').size).toBe(0);
    expect(res.refusals?.[0]?.reason).toBe('read_only');
    expect(decodeMessage(res.replies[0] as Uint8Array)).toMatchObject({ type: MessageType.Auth, denied: true });
  });

  it('throws ProtocolError on an undecodable update and leaves the document alone', () => {
    const t = target();
    t.doc.getMap('notes').set('keep', 1);
    const before = Y.encodeStateAsUpdate(t.doc);
    expect(() => handleMessage(t, decodeMessage(encodeUpdate(new Uint8Array([0, 1, 200, 3, 4]))), peer('host'))).toThrow(ProtocolError);
    expect(Y.encodeStateAsUpdate(t.doc)).toEqual(before);
  });

  it('applies awareness updates and answers awareness queries', () => {
    const t = target();
    const other = new awarenessProtocol.Awareness(new Y.Doc());
    other.setLocalState({ name: 'x' });
    handleMessage(t, decodeMessage(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(other, [other.clientID]))), peer('participant'));
    expect(t.awareness.getStates().get(other.clientID)).toEqual({ name: 'x' });
    const res = handleMessage(t, { type: MessageType.QueryAwareness }, peer('participant'));
    expect(res.replies).toHaveLength(1);
    expect(() => handleMessage(t, decodeMessage(encodeAwareness(new Uint8Array([5, 1]))), peer('participant'))).toThrow(ProtocolError);
  });

  it('R69 presence is one\'s own: review links write none, and nobody overwrites another connection\'s state', () => {
    const t = target();
    const alice = peer('participant', 'A');
    const mallory = peer('participant', 'M');
    const owner = new Map<number, Peer>();
    const tt = { ...t, awarenessTakenByOther: (p: Peer, id: number) => (owner.get(id) ?? p) !== p };
    const a = new awarenessProtocol.Awareness(new Y.Doc());
    a.setLocalState({ user: { name: 'Alice' } });
    handleMessage(tt, decodeMessage(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(a, [a.clientID]))), alice);
    owner.set(a.clientID, alice);
    // Mallory replays Alice's client id with another name, next to its own state.
    const forged = new awarenessProtocol.Awareness(new Y.Doc());
    forged.clientID = a.clientID;
    forged.setLocalState({ user: { name: 'Mallory as Alice' } });
    forged.setLocalState({ user: { name: 'Mallory as Alice!' } });
    const mine = new awarenessProtocol.Awareness(new Y.Doc());
    mine.setLocalState({ user: { name: 'Mallory' } });
    const both = awarenessProtocol.encodeAwarenessUpdate(forged, [a.clientID]);
    handleMessage(tt, decodeMessage(encodeAwareness(both)), mallory);
    handleMessage(tt, decodeMessage(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(mine, [mine.clientID]))), mallory);
    expect(t.awareness.getStates().get(a.clientID)).toEqual({ user: { name: 'Alice' } });
    expect(t.awareness.getStates().get(mine.clientID)).toEqual({ user: { name: 'Mallory' } });
    const review = new awarenessProtocol.Awareness(new Y.Doc());
    review.setLocalState({ user: { name: 'Reviewer' } });
    handleMessage(tt, decodeMessage(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(review, [review.clientID]))), peer('review'));
    expect(t.awareness.getStates().has(review.clientID)).toBe(false);
  });
});
