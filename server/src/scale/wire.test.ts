import { describe, expect, it } from 'vitest';
import { WireKind, decodeWire, encodeWire } from './wire.ts';

describe('scale wire format', () => {
  it('round-trips every field', () => {
    const msg = {
      kind: WireKind.SyncReply,
      from: 'proc-a',
      to: 'proc-b',
      payload: new Uint8Array([1, 2, 3, 250]),
      stateVector: new Uint8Array([9, 8]),
    };
    expect(decodeWire(encodeWire(msg))).toEqual(msg);
  });

  it('defaults the unused fields to empty', () => {
    const out = decodeWire(encodeWire({ kind: WireKind.Deleted, from: 'p' }));
    expect(out).toEqual({ kind: WireKind.Deleted, from: 'p', to: '', payload: new Uint8Array(0), stateVector: new Uint8Array(0) });
  });

  it('rejects unknown kinds, truncation and trailing bytes', () => {
    const good = encodeWire({ kind: WireKind.Update, from: 'p', payload: new Uint8Array([1, 2, 3]) });
    expect(() => decodeWire(new Uint8Array([42, 0, 0, 0, 0]))).toThrow(/unknown wire kind/);
    expect(() => decodeWire(good.subarray(0, good.length - 3))).toThrow();
    expect(() => decodeWire(new Uint8Array([...good, 0]))).toThrow(/trailing/);
    expect(() => decodeWire(new Uint8Array([0, 1, 112, 0, 0x7f, 1]))).toThrow(/truncated/);
  });
});
