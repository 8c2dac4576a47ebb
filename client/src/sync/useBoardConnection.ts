import { useEffect, useRef, useState } from 'react';
import { CloseCode, roots, type Role } from '@maillage/shared';
import { fatalReasonOf, openConnection, type BoardConnection, type ConnectionStatus, type FatalReason } from './connection.ts';
import { ownerSecret } from './profile.ts';
import type { RefusalEvent } from './refusals.ts';
import { compactLocalCopy, forgetWall } from './localCopy.ts';

export interface BoardConnectionState {
  conn: BoardConnection | null;
  status: ConnectionStatus;
  /** True once the server's state has arrived, or the local copy has loaded (offline, server down). */
  ready: boolean;
  fatal: FatalReason | null;
  /** Last write the server refused and reverted (locked wall, review link, …); the connection stays open. */
  refused: RefusalEvent | null;
  /**
   * Gives up this device's copy of the wall (R92): stops syncing, deletes its IndexedDB database
   * and its localStorage entries. Called when the wall is deleted or unknown to the server.
   */
  forget(): Promise<void>;
  /** Rewrites the local copy from the document as it is now, dropping erased notes' history (R91). */
  compact(): Promise<void>;
}

/**
 * Opens the wall's connection for the component's lifetime. Terminal close codes (wall deleted,
 * unknown, bad key) stop the reconnect loop and surface as `fatal`.
 *
 * Nothing typed on this device is ever dropped here (docs/spec.md R63): a refused write is
 * reverted by the server on the live connection, and `CloseCode.Resync` only makes the provider
 * reconnect. The one exception is a review link, which writes nothing of its own: on Resync (its
 * email permission changed, so it must switch documents) its local copy is cleared and synced
 * again, so that emails it may no longer read do not stay on the device.
 *
 * @param role our role once the session knows it (read when a Resync arrives; null = unknown,
 *   treated as "may hold writes").
 */
export function useBoardConnection(boardId: string, key: string | null, role: Role | null = null): BoardConnectionState {
  const [state, setState] = useState<BoardConnectionState>({
    conn: null,
    status: 'connecting',
    ready: false,
    fatal: null,
    refused: null,
    forget: () => Promise.resolve(),
    compact: () => Promise.resolve(),
  });
  const roleRef = useRef(role);
  roleRef.current = role;

  // Bumped when a review link must start again from an empty copy.
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    const conn = openConnection(boardId, key, ownerSecret());
    const { provider } = conn;
    const set = (patch: Partial<BoardConnectionState>) => setState((s) => ({ ...s, ...patch }));
    let forgotten: Promise<void> | null = null;
    const forget = () => {
      provider.disconnect();
      forgotten ??= forgetWall(boardId, conn.local);
      return forgotten;
    };
    const compact = () => (forgotten ? Promise.resolve() : compactLocalCopy(conn.local));
    set({ conn, status: 'connecting', ready: false, fatal: null, forget, compact });

    // The browser's own online flag wins: an emulated or real offline network may leave an
    // already-open socket looking "connected" until its heartbeat fails.
    const onStatus = ({ status }: { status: string }) => {
      if (!navigator.onLine) set({ status: 'offline' });
      else set({ status: status === 'connected' ? 'connected' : 'connecting' });
    };
    if (!navigator.onLine) set({ status: 'offline' });
    let compacted = false;
    const onSync = (synced: boolean) => {
      if (!synced) return;
      set({ ready: true });
      // Once per visit, after the server's state arrived: notes deleted or erased while this
      // device was away leave its local copy too (R91), not only its screen.
      if (!compacted) {
        compacted = true;
        void compact();
      }
    };
    const onClose = (event: CloseEvent | null) => {
      if (event?.code === CloseCode.Resync) {
        if (roleRef.current !== 'review') return; // the provider reconnects; local writes stay
        provider.disconnect();
        void (conn.local?.clearData() ?? Promise.resolve()).finally(() => setGeneration((g) => g + 1));
        return;
      }
      const fatal = event ? fatalReasonOf(event.code) : null;
      if (fatal) {
        provider.disconnect();
        // A deleted or unknown wall leaves nothing on this device, whether it was deleted while
        // open (4410) or before this visit (4404 for a link whose copy is still here).
        if (fatal === 'gone' || fatal === 'not-found') void forget();
        set({ fatal });
      }
    };
    const offRefused = conn.onRefused((e) => set({ refused: e }));
    const onOffline = () => set({ status: 'offline' });
    const onOnline = () => set({ status: provider.wsconnected ? 'connected' : 'connecting' });
    provider.on('status', onStatus);
    provider.on('sync', onSync);
    provider.on('connection-close', onClose);
    void conn.local?.whenSynced.then(() => {
      // A local copy of this wall: show it rather than a spinner while the network or the server
      // is away (a reload during an outage must show, and keep, what was written).
      if (!navigator.onLine || roots(conn.doc).domains.size > 0) set({ ready: true });
    });
    window.addEventListener('offline', onOffline);
    window.addEventListener('online', onOnline);
    return () => {
      window.removeEventListener('offline', onOffline);
      window.removeEventListener('online', onOnline);
      provider.off('status', onStatus);
      provider.off('sync', onSync);
      provider.off('connection-close', onClose);
      offRefused();
      conn.destroy();
    };
  }, [boardId, key, generation]);

  return state;
}
