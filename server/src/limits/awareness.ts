/**
 * Bounds on awareness (presence) messages, checked before they are applied. Awareness is relayed
 * to everyone on the wall, so an oversized state would be amplified N times; and every client id a
 * connection introduces stays in memory until it leaves.
 *
 * Layout of an awareness update (y-protocols/awareness):
 *   varUint(n) { varUint(clientID) varUint(clock) varString(JSON state) } × n
 */
import * as decoding from 'lib0/decoding';

/** Bytes of one client's awareness state (ours: `{ user: { name, color } }`, well under 200). */
export const AWARENESS_STATE_BYTES = 2048;
/**
 * Awareness client ids one connection may introduce. A y-websocket client has one per document;
 * a few more allow for a reload racing its own removal.
 */
export const AWARENESS_IDS_PER_CONNECTION = 8;

/**
 * Returns why an awareness update is over a limit, or null. A malformed update returns null: the
 * protocol handler rejects it with its own error (4400).
 */
export function awarenessOverLimit(update: Uint8Array): string | null {
  try {
    const d = decoding.createDecoder(update);
    const n = decoding.readVarUint(d);
    for (let i = 0; i < n; i++) {
      decoding.readVarUint(d);
      decoding.readVarUint(d);
      const len = decoding.readVarUint(d);
      if (len > AWARENESS_STATE_BYTES) return `awareness state over ${AWARENESS_STATE_BYTES} bytes`;
      if (len > d.arr.length - d.pos) return null;
      d.pos += len;
    }
    return null;
  } catch {
    return null;
  }
}
