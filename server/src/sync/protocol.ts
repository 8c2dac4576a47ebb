/**
 * Handles one decoded y-websocket message against a room's document and awareness. Pure with
 * respect to transport: it returns the frames to send back to the sender, and all fan-out happens
 * through the document's and awareness's own events (see Room).
 */
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import {
  MessageType,
  SyncStep,
  ProtocolError,
  WriteRefusal,
  encodeAwareness,
  encodePermissionDenied,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
  type DecodedMessage,
} from '@maillage/shared';
import { judgeAndApply, type Refusal, type TakenContact } from '../auth/judge.ts';
import type { Peer } from './Peer.ts';

export interface SyncTarget {
  doc: Y.Doc;
  awareness: awarenessProtocol.Awareness;
  /** Session state the write rules depend on. */
  policy?: { locked: boolean; privateWriting: boolean; reviewEmails?: boolean };
  /**
   * Whether an awareness client id belongs to another connection (presence is one's own state:
   * nobody overwrites or removes someone else's).
   */
  awarenessTakenByOther?: (peer: Peer, clientId: number) => boolean;
  /**
   * Set when the wall keeps contact details in the server's store (issue 13): emails written on
   * notes are taken out of the document and handed here.
   */
  takeContacts?: (contacts: TakenContact[]) => void;
}

export interface HandleResult {
  replies: Uint8Array[];
  /** What the server put back of the sender's update (the sender is told in `replies`). */
  refusals?: Refusal[];
}

/**
 * @throws ProtocolError when an update cannot be decoded; the caller closes the connection.
 */
export function handleMessage(target: SyncTarget, msg: DecodedMessage, peer: Peer): HandleResult {
  switch (msg.type) {
    case MessageType.Sync: {
      if (msg.step === SyncStep.Step1) {
        return { replies: [encodeSyncStep2(target.doc, msg.payload)] };
      }
      // Step 2 and updates both carry document changes. An empty one (a client with nothing new)
      // is fine from anyone, including review links.
      assertDecodableUpdate(msg.payload);
      if (isEmptyUpdate(msg.payload)) return { replies: [] };
      if (peer.role === 'review') {
        // Not applied at all: a review link has nothing to keep. The connection stays open.
        const refusal: Refusal = { reason: WriteRefusal.ReadOnly, detail: 'this is a review link', root: '?', key: '', kind: 'update', ownerId: null };
        return { replies: [encodePermissionDenied(WriteRefusal.ReadOnly)], refusals: [refusal] };
      }
      const result = judgeAndApply(
        target.doc,
        msg.payload,
        {
          role: peer.role,
          ownerId: peer.ownerId,
          locked: target.policy?.locked ?? false,
          privateWriting: target.policy?.privateWriting ?? false,
          takeContacts: target.takeContacts !== undefined,
        },
        peer,
      );
      if (result.contacts.length) target.takeContacts?.(result.contacts);
      const replies: Uint8Array[] = [];
      if (result.refusals.length) replies.push(encodePermissionDenied(describeRefusals(result.refusals)));
      // The sender's copy lacks what the server wrote (what it put back, the owner it derived):
      // fan-out skips the sender, which normally has its own changes already.
      if (result.fixed && result.update) replies.push(encodeUpdate(result.update));
      // Something was missing (lost by the server, or skipped by the sender): ask for it.
      if (result.incomplete) replies.push(encodeSyncStep1(target.doc));
      if (result.error !== undefined) throw new ProtocolError(`malformed update: ${String((result.error as Error)?.message ?? result.error)}`);
      return { replies, refusals: result.refusals };
    }
    case MessageType.Awareness: {
      // Review links are not in the room's presence; nobody writes another connection's state.
      if (peer.role === 'review') return { replies: [] };
      const own = target.awarenessTakenByOther ? filterAwareness(msg.payload, (id) => !target.awarenessTakenByOther?.(peer, id)) : msg.payload;
      if (!own) return { replies: [] };
      try {
        awarenessProtocol.applyAwarenessUpdate(target.awareness, own, peer);
      } catch (e) {
        throw new ProtocolError(`malformed awareness update: ${(e as Error).message}`);
      }
      return { replies: [] };
    }
    case MessageType.QueryAwareness:
      return {
        replies: [
          encodeAwareness(
            awarenessProtocol.encodeAwarenessUpdate(target.awareness, Array.from(target.awareness.getStates().keys())),
          ),
        ],
      };
    case MessageType.Auth:
      // Clients never send auth messages in this protocol; ignore rather than fail.
      return { replies: [] };
    default: {
      const never: never = msg;
      throw new ProtocolError(`unhandled message ${JSON.stringify(never)}`);
    }
  }
}

/**
 * Keeps the entries of an awareness update whose client id `keep` accepts; null when none is left.
 * Layout (y-protocols/awareness): varUint(n) { varUint(clientID) varUint(clock) varString(state) } × n.
 * @throws ProtocolError on a malformed update.
 */
export function filterAwareness(update: Uint8Array, keep: (clientId: number) => boolean): Uint8Array | null {
  const entries: [number, number, string][] = [];
  let total = 0;
  try {
    const d = decoding.createDecoder(update);
    total = decoding.readVarUint(d);
    for (let i = 0; i < total; i++) {
      const id = decoding.readVarUint(d);
      const clock = decoding.readVarUint(d);
      const state = decoding.readVarString(d);
      if (keep(id)) entries.push([id, clock, state]);
    }
  } catch (e) {
    throw new ProtocolError(`malformed awareness update: ${(e as Error).message}`);
  }
  if (entries.length === total) return update;
  if (!entries.length) return null;
  const enc = encoding.createEncoder();
  encoding.writeVarUint(enc, entries.length);
  for (const [id, clock, state] of entries) {
    encoding.writeVarUint(enc, id);
    encoding.writeVarUint(enc, clock);
    encoding.writeVarString(enc, state);
  }
  return encoding.toUint8Array(enc);
}

/**
 * The reason sent with a permission-denied message: the first refusal's code (which clients
 * translate) and, for people reading logs of a stock client, how many records it covers.
 */
export function describeRefusals(refusals: Refusal[]): string {
  const first = refusals[0];
  if (!first) return '';
  const more = refusals.length > 1 ? ` (+${refusals.length - 1})` : '';
  return `${first.reason}: ${first.detail}${more}`.slice(0, 200);
}

/** Two bytes [0, 0]: no structs and no deletions (what an up-to-date client sends as step 2). */
function isEmptyUpdate(update: Uint8Array): boolean {
  return update.length === 2 && update[0] === 0 && update[1] === 0;
}

/** Whether a decoded value cannot be written as JSON: a BigInt in it, or nesting past 64 levels. */
function notJson(v: unknown, depth = 0): boolean {
  if (typeof v === 'bigint' || depth > 64) return true;
  if (v === null || typeof v !== 'object') return false;
  for (const x of Array.isArray(v) ? v : Object.values(v)) if (notJson(x, depth + 1)) return true;
  return false;
}

/**
 * Applying a malformed update can throw half-way through and leave the document inconsistent,
 * so decode it on its own first: if decoding fails, nothing has touched the document.
 */
export function assertDecodableUpdate(update: Uint8Array): void {
  let decoded: ReturnType<typeof Y.decodeUpdate>;
  try {
    decoded = Y.decodeUpdate(update);
  } catch (e) {
    throw new ProtocolError(`malformed update: ${(e as Error).message}`);
  }
  // A struct or deletion of length zero decodes, and Yjs integrates it, but no Yjs client ever
  // writes one: deleting such an item later (the judge putting it back) leaves a delete-set entry
  // that matches no struct, and Yjs throws while closing the transaction (R45, found by the byte
  // fuzzer: one flipped byte turned `[{}]` into `[]`).
  for (const s of decoded.structs) {
    if (s.length <= 0) throw new ProtocolError('malformed update: a struct of length 0');
    // lib0 encodes BigInts, JSON does not: a BigInt anywhere in a value would make every reader
    // that serializes the record (the judge's comparisons, exports, snapshots) throw. No field of
    // a wall holds one, nor anything nested that deep.
    const c = (s as Partial<Y.Item>).content;
    const values = c instanceof Y.ContentAny ? c.arr : c instanceof Y.ContentEmbed ? [c.embed] : c instanceof Y.ContentFormat ? [c.value] : [];
    if (values.some((v) => notJson(v))) throw new ProtocolError('malformed update: a value JSON cannot hold (BigInt, or nested past 64 levels)');
  }
  for (const ranges of decoded.ds.clients.values()) for (const r of ranges) if (r.len <= 0) throw new ProtocolError('malformed update: a deletion of length 0');
}
