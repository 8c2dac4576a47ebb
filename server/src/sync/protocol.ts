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
import { mayWrite } from '../auth/writeRules.ts';
import type { Peer } from './Peer.ts';

export interface SyncTarget {
  doc: Y.Doc;
  awareness: awarenessProtocol.Awareness;
}

export interface HandleResult {
  replies: Uint8Array[];
  /** Set when a write was refused; the transport may log it (without content). */
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
      // Step 2 and updates both carry document changes.
      const decision = mayWrite(peer.role);
      if (!decision.ok) {
        return { replies: [encodePermissionDenied(decision.reason)], refused: decision.reason };
      }
      assertDecodableUpdate(msg.payload);
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
