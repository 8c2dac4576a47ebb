/**
 * Handles one decoded y-websocket message against a room's document and awareness. Pure with
 * respect to transport: it returns the frames to send back to the sender, and all fan-out happens
 * through the document's and awareness's own events (see Room).
 */
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import {
  MessageType,
  SyncStep,
  ProtocolError,
  encodeAwareness,
  encodePermissionDenied,
  encodeSyncStep2,
  type DecodedMessage,
} from '@maillage/shared';
import { decideWrite } from '../auth/writeRules.ts';
import type { Peer } from './Peer.ts';

export interface SyncTarget {
  doc: Y.Doc;
  awareness: awarenessProtocol.Awareness;
  /** Session state the write rules depend on. */
  policy?: { locked: boolean; privateWriting: boolean; reviewEmails?: boolean };
}

export interface HandleResult {
  replies: Uint8Array[];
  /** Set when a write was refused; the transport tells the client and makes it resync. */
  refused?: string;
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
      const decision = decideWrite(
        {
          role: peer.role,
          ownerId: peer.ownerId,
          locked: target.policy?.locked ?? false,
          privateWriting: target.policy?.privateWriting ?? false,
        },
        target.doc,
        msg.payload,
      );
      if (!decision.ok) {
        return { replies: [encodePermissionDenied(decision.reason)], refused: decision.reason };
      }
      Y.applyUpdate(target.doc, msg.payload, peer);
      return { replies: [] };
    }
    case MessageType.Awareness:
      try {
        awarenessProtocol.applyAwarenessUpdate(target.awareness, msg.payload, peer);
      } catch (e) {
        throw new ProtocolError(`malformed awareness update: ${(e as Error).message}`);
      }
      return { replies: [] };
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

/** Two bytes [0, 0]: no structs and no deletions (what an up-to-date client sends as step 2). */
function isEmptyUpdate(update: Uint8Array): boolean {
  return update.length === 2 && update[0] === 0 && update[1] === 0;
}

/**
 * Applying a malformed update can throw half-way through and leave the document inconsistent,
 * so decode it on its own first: if decoding fails, nothing has touched the document.
 */
export function assertDecodableUpdate(update: Uint8Array): void {
  try {
    Y.decodeUpdate(update);
  } catch (e) {
    throw new ProtocolError(`malformed update: ${(e as Error).message}`);
  }
}
