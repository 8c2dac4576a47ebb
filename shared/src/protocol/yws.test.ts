import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { MessageType, ProtocolError, SyncStep, decodeMessage, encodeAwareness, encodePermissionDenied, encodeSyncStep1, encodeSyncStep2, encodeUpdate } from './yws.ts';

describe('y-websocket framing', () => {
  it('round-trips every message type', () => {
    const doc = new Y.Doc();
    doc.getMap('m').set('a', 1);
    const s1 = decodeMessage(encodeSyncStep1(doc));
    expect(s1).toMatchObject({ type: MessageType.Sync, step: SyncStep.Step1 });
    const s2 = decodeMessage(encodeSyncStep2(doc));
    expect(s2).toMatchObject({ type: MessageType.Sync, step: SyncStep.Step2 });
    const up = Y.encodeStateAsUpdate(doc);
    const u = decodeMessage(encodeUpdate(up));
    expect(u.type === MessageType.Sync && Array.from(u.payload)).toEqual(Array.from(up));
    expect(decodeMessage(encodeAwareness(new Uint8Array([1, 2, 3])))).toEqual({ type: MessageType.Awareness, payload: new Uint8Array([1, 2, 3]) });
    expect(decodeMessage(encodePermissionDenied('read-only'))).toEqual({ type: MessageType.Auth, denied: true, reason: 'read-only' });
    expect(decodeMessage(new Uint8Array([3]))).toEqual({ type: MessageType.QueryAwareness });
  });

  it.each([
    ['empty frame', []],
    ['unknown type', [9]],
    ['unknown sync step', [0, 7, 0]],
    ['length beyond the frame', [0, 2, 10, 1, 2]],
    ['huge varint length', [0, 2, 0xff, 0xff, 0xff, 0xff, 0x0f]],
    ['varint overflow', [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]],
    ['trailing bytes', [3, 0]],
    ['truncated awareness', [1]],
  ])('rejects %s with ProtocolError', (_name, bytes) => {
    expect(() => decodeMessage(new Uint8Array(bytes))).toThrow(ProtocolError);
  });
});
