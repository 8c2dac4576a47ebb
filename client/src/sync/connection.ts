/**
 * One live connection to a wall: the Yjs document, the y-websocket provider, and a local
 * IndexedDB copy so notes made offline survive a reload and merge when the network returns.
 */
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { IndexeddbPersistence } from 'y-indexeddb';
import { CloseCode, TERMINAL_CLOSE_CODES } from '@maillage/shared';
import { sendOnlyOwnAwareness } from './presence.ts';
import { onPermissionDenied, type RefusalEvent } from './refusals.ts';
import { localDbName } from './localCopy.ts';

/** Origin of every change made by this browser: the undo manager tracks exactly these. */
export const LOCAL_ORIGIN = Symbol('local');

export type ConnectionStatus = 'connecting' | 'connected' | 'offline';
/**
 * Why the server will not take this connection again. The first four end the page (NotFound);
 * `too-large` and `broken` concern what this device sends: the wall stays on screen with its
 * local copy (nothing is wiped) and a message, since reconnecting would send the same thing.
 */
export type FatalReason = 'not-found' | 'gone' | 'bad-key' | 'forbidden' | 'too-large' | 'broken';

export interface BoardConnection {
  doc: Y.Doc;
  provider: WebsocketProvider;
  local: IndexeddbPersistence | null;
  /** Calls `listener` on every write the server refused (and reverted); returns the unsubscribe. */
  onRefused(listener: (e: RefusalEvent) => void): () => void;
  destroy(): void;
}

export function syncUrl(): string {
  const proto = window.location.protocol === 'https:' ? 'wss' : 'ws';
  return `${proto}://${window.location.host}/yjs`;
}

export function openConnection(boardId: string, key: string | null, ownerSecret: string): BoardConnection {
  const doc = new Y.Doc();
  // IndexedDB is unavailable in some private modes; the wall still works, only offline-first does not.
  let local: IndexeddbPersistence | null = null;
  try {
    local = new IndexeddbPersistence(localDbName(boardId, key), doc);
  } catch {
    local = null;
  }
  const provider = new WebsocketProvider(syncUrl(), boardId, doc, {
    params: { ...(key ? { k: key } : {}), o: ownerSecret },
    maxBackoffTime: 5000,
  });
  sendOnlyOwnAwareness(provider);
  const refusalListeners = new Set<(e: RefusalEvent) => void>();
  onPermissionDenied(provider, (e) => refusalListeners.forEach((l) => l(e)));
  return {
    doc,
    provider,
    local,
    onRefused(listener) {
      refusalListeners.add(listener);
      return () => refusalListeners.delete(listener);
    },
    destroy() {
      refusalListeners.clear();
      provider.destroy();
      void local?.destroy();
      doc.destroy();
    },
  };
}

export function fatalReasonOf(code: number): FatalReason | null {
  if (!TERMINAL_CLOSE_CODES.has(code)) return null;
  switch (code) {
    case CloseCode.NotFound:
      return 'not-found';
    case CloseCode.Gone:
      return 'gone';
    case CloseCode.Unauthorized:
      return 'bad-key';
    case CloseCode.TooLarge:
      return 'too-large';
    case CloseCode.BadMessage:
      return 'broken';
    default:
      return 'forbidden';
  }
}
