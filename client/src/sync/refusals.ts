/**
 * Refused writes. The server never closes the connection for a write it will not take: it
 * reverts the part the sender may not make (the sender receives the compensating update) and
 * says why in a y-websocket `auth` message (permission denied) whose reason starts with a
 * `WriteRefusal` code (docs/protocol.md, "judging changes"; docs/spec.md R63).
 *
 * The stock provider only prints that reason to the console, in English; this replaces its
 * handler so the wall can translate the code and rescue the text the revert removed.
 */
import { readAuthMessage } from 'y-protocols/auth';
import { messageAuth, type WebsocketProvider } from 'y-websocket';
import { refusalCode, WriteRefusal } from '@maillage/shared';

/** A refusal as the client keeps it: the code (null for a reason it does not know) and when. */
export interface RefusalEvent {
  code: WriteRefusal | null;
  at: number;
}

/**
 * Routes the provider's permission-denied messages to `onRefused` (instead of console.warn).
 * The reason's free text (after the code) is for people reading a stock client's console; it
 * is not shown, because it is English and may name records.
 */
export function onPermissionDenied(provider: WebsocketProvider, onRefused: (e: RefusalEvent) => void): void {
  // The provider copies the module's handler table per instance: replacing an entry is local.
  provider.messageHandlers[messageAuth] = (_encoder, decoder) => {
    readAuthMessage(decoder, provider.doc, (_doc, reason) => onRefused({ code: refusalCode(reason), at: Date.now() }));
  };
}

/** The i18n key of a refusal's message (every code has a French and an English sentence). */
export function refusalMessageKey(code: WriteRefusal | null): string {
  switch (code) {
    case WriteRefusal.ReadOnly:
      return 'refusal.read_only';
    case WriteRefusal.Locked:
      return 'refusal.locked';
    case WriteRefusal.NotOwner:
      return 'refusal.not_owner';
    case WriteRefusal.Invalid:
      return 'refusal.invalid';
    case WriteRefusal.HostOnly:
      return 'refusal.host_only';
    case WriteRefusal.Limit:
      return 'refusal.limit';
    case WriteRefusal.PrivateWriting:
      return 'refusal.private_writing';
    case null:
      return 'refusal.unknown';
    default: {
      const never: never = code;
      return `refusal.${String(never)}`;
    }
  }
}

/**
 * Refusals after which a rescued note waits for the wall and is posted by itself. Not
 * `private_writing`: the server turns such a note into its author's private note itself (same
 * id; the page then drops its copy), and posting it again would make a second one.
 */
export function postsWhenWritable(code: WriteRefusal | null): boolean {
  return code === WriteRefusal.Locked;
}
