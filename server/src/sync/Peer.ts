import type { Role } from '@maillage/shared';

/**
 * One connected client as the room sees it: something that can be sent bytes and closed. The
 * websocket transport implements it; tests implement it with arrays.
 */
export interface Peer {
  readonly id: string;
  readonly role: Role;
  /** Owner id derived from the connection's device secret; null when none was presented. */
  readonly ownerId: string | null;
  send(frame: Uint8Array): void;
  close(code: number, reason: string): void;
}
