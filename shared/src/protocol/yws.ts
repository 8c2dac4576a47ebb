/**
 * The y-websocket wire format, as pure functions over bytes (no sockets), so that the server, the
 * benchmarks and the tests share one encoder. See docs/protocol.md for the byte layout.
 *
 *   message   := varUint(type) payload
 *   type 0    sync:      varUint(step) varUint8Array(data)   step 0 = state vector, 1 = diff, 2 = update
 *   type 1    awareness: varUint8Array(awareness update)
 *   type 2    auth:      varUint(0 = permission denied) varString(reason)
 *   type 3    query awareness (no payload)
 */
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import type * as Y from 'yjs';

export const MessageType = {
  Sync: 0,
  Awareness: 1,
  Auth: 2,
  QueryAwareness: 3,
} as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

export const SyncStep = {
  Step1: syncProtocol.messageYjsSyncStep1,
  Step2: syncProtocol.messageYjsSyncStep2,
  Update: syncProtocol.messageYjsUpdate,
} as const;

export type DecodedMessage =
  | { type: typeof MessageType.Sync; step: number; payload: Uint8Array }
  | { type: typeof MessageType.Awareness; payload: Uint8Array }
  | { type: typeof MessageType.Auth; denied: boolean; reason: string }
  | { type: typeof MessageType.QueryAwareness };

export class ProtocolError extends Error {
  override name = 'ProtocolError';
}

/**
 * Decodes one frame. Throws ProtocolError on anything malformed: unknown type, truncated payload,
 * absurd lengths, or trailing bytes (a frame holds exactly one message).
 */
export function decodeMessage(frame: Uint8Array): DecodedMessage {
  try {
    const d = decoding.createDecoder(frame);
    const type = decoding.readVarUint(d);
    let msg: DecodedMessage;
    switch (type) {
      case MessageType.Sync: {
        const step = decoding.readVarUint(d);
        if (step !== SyncStep.Step1 && step !== SyncStep.Step2 && step !== SyncStep.Update) {
          throw new ProtocolError(`unknown sync step ${step}`);
        }
        msg = { type, step, payload: readBytes(d) };
        break;
      }
      case MessageType.Awareness:
        msg = { type, payload: readBytes(d) };
        break;
      case MessageType.Auth: {
        const code = decoding.readVarUint(d);
        msg = { type, denied: code === 0, reason: decoding.readVarString(d) };
        break;
      }
      case MessageType.QueryAwareness:
        msg = { type };
        break;
      default:
        throw new ProtocolError(`unknown message type ${type}`);
    }
    if (decoding.hasContent(d)) throw new ProtocolError('trailing bytes after message');
    return msg;
  } catch (e) {
    if (e instanceof ProtocolError) throw e;
    throw new ProtocolError(`malformed frame: ${(e as Error).message}`);
  }
}

/** lib0's readVarUint8Array trusts the length; check it against what is left first. */
function readBytes(d: decoding.Decoder): Uint8Array {
  const len = decoding.readVarUint(d);
  if (len > d.arr.length - d.pos) throw new ProtocolError('length exceeds frame');
  return decoding.readUint8Array(d, len);
}

export function encodeSyncStep1(doc: Y.Doc): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.Sync);
  syncProtocol.writeSyncStep1(e, doc);
  return encoding.toUint8Array(e);
}

/** Step 2 answers a peer's state vector with what it is missing. */
export function encodeSyncStep2(doc: Y.Doc, stateVector?: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.Sync);
  syncProtocol.writeSyncStep2(e, doc, stateVector);
  return encoding.toUint8Array(e);
}

export function encodeUpdate(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.Sync);
  syncProtocol.writeUpdate(e, update);
  return encoding.toUint8Array(e);
}

export function encodeAwareness(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.Awareness);
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
}

/** y-websocket clients surface this through the provider's `auth` handler. */
export function encodePermissionDenied(reason: string): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.Auth);
  encoding.writeVarUint(e, 0);
  encoding.writeVarString(e, reason);
  return encoding.toUint8Array(e);
}
