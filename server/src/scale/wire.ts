/**
 * The messages server processes exchange about one wall over Redis pub/sub, as pure functions over
 * bytes. One channel per wall (`<prefix>wall:<boardId>`); every message names the process that
 * sent it, so a process can drop its own echoes (Redis delivers a publish to every subscriber,
 * the publisher included).
 *
 *   message := varUint(kind) varString(from) varString(to) varUint8Array(payload) varUint8Array(stateVector)
 *
 *   kind 0 update        payload = Yjs update, made on `from`'s document
 *   kind 1 awareness     payload = y-protocols awareness update
 *   kind 2 sync request  payload = `from`'s state vector; live holders answer with kind 3
 *   kind 3 sync reply    to = requester; payload = what it lacks; stateVector = the replier's
 *   kind 4 deleted       the wall was deleted; holders drop it without writing anything
 *
 * `to` and `stateVector` are empty unless the kind uses them.
 */
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';

export const WireKind = {
  Update: 0,
  Awareness: 1,
  SyncRequest: 2,
  SyncReply: 3,
  Deleted: 4,
} as const;
export type WireKind = (typeof WireKind)[keyof typeof WireKind];

export interface WireMessage {
  kind: WireKind;
  /** Process id of the sender. */
  from: string;
  /** Process id of the only intended receiver; '' for everyone. */
  to: string;
  payload: Uint8Array;
  stateVector: Uint8Array;
}

const EMPTY = new Uint8Array(0);

export function encodeWire(msg: Partial<WireMessage> & Pick<WireMessage, 'kind' | 'from'>): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, msg.kind);
  encoding.writeVarString(e, msg.from);
  encoding.writeVarString(e, msg.to ?? '');
  encoding.writeVarUint8Array(e, msg.payload ?? EMPTY);
  encoding.writeVarUint8Array(e, msg.stateVector ?? EMPTY);
  return encoding.toUint8Array(e);
}

/**
 * @throws Error on a truncated message or an unknown kind (another version of the server, or
 * something else publishing on our channel); the caller logs and drops it.
 */
export function decodeWire(bytes: Uint8Array): WireMessage {
  const d = decoding.createDecoder(bytes);
  const kind = decoding.readVarUint(d);
  if (!Object.values(WireKind).includes(kind as WireKind)) throw new Error(`unknown wire kind ${kind}`);
  const from = decoding.readVarString(d);
  const to = decoding.readVarString(d);
  const payload = readBytes(d);
  const stateVector = readBytes(d);
  if (decoding.hasContent(d)) throw new Error('trailing bytes in wire message');
  return { kind: kind as WireKind, from, to, payload, stateVector };
}

/** lib0 trusts the length prefix; check it against what is left so garbage cannot over-read. */
function readBytes(d: decoding.Decoder): Uint8Array {
  const len = decoding.readVarUint(d);
  if (len > d.arr.length - d.pos) throw new Error('truncated wire message');
  return decoding.readUint8Array(d, len);
}
