import { useEffect, useState } from 'react';
import { CloseCode } from '@maillage/shared';
import { fatalReasonOf, openConnection, type BoardConnection, type ConnectionStatus, type FatalReason } from './connection.ts';
import { ownerSecret } from './profile.ts';

export interface BoardConnectionState {
  conn: BoardConnection | null;
  status: ConnectionStatus;
  /** True once the server's state has arrived (or the local copy has loaded, when offline). */
  ready: boolean;
  fatal: FatalReason | null;
  /** Last write the server refused (review link, locked wall, …). */
  refused: string | null;
}

/**
 * Opens the wall's connection for the component's lifetime. Terminal close codes (wall deleted,
 * unknown, bad key) stop the reconnect loop and surface as `fatal`.
 */
export function useBoardConnection(boardId: string, key: string | null): BoardConnectionState {
  const [state, setState] = useState<BoardConnectionState>({
    conn: null,
    status: 'connecting',
    ready: false,
    fatal: null,
    refused: null,
  });

  // Bumped when the server refuses a write: the local copy holds a change the server will never
  // accept, so it is dropped (memory and IndexedDB) and the wall is synced again from scratch.
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    const conn = openConnection(boardId, key, ownerSecret());
    const { provider } = conn;
    const set = (patch: Partial<BoardConnectionState>) => setState((s) => ({ ...s, ...patch }));
    set({ conn, status: 'connecting', ready: false, fatal: null });

    // The browser's own online flag wins: an emulated or real offline network may leave an
    // already-open socket looking "connected" until its heartbeat fails.
    const onStatus = ({ status }: { status: string }) => {
      if (!navigator.onLine) set({ status: 'offline' });
      else set({ status: status === 'connected' ? 'connected' : 'connecting' });
    };
    if (!navigator.onLine) set({ status: 'offline' });
    const onSync = (synced: boolean) => synced && set({ ready: true });
    const onClose = (event: CloseEvent | null) => {
      if (event?.code === CloseCode.Resync) {
        provider.disconnect();
        set({ refused: event.reason || 'refused' });
        void (conn.local?.clearData() ?? Promise.resolve()).finally(() => setGeneration((g) => g + 1));
        return;
      }
      const fatal = event ? fatalReasonOf(event.code) : null;
      if (fatal) {
        provider.disconnect();
        set({ fatal });
      }
    };
    const onOffline = () => set({ status: 'offline' });
    const onOnline = () => set({ status: provider.wsconnected ? 'connected' : 'connecting' });
    provider.on('status', onStatus);
    provider.on('sync', onSync);
    provider.on('connection-close', onClose);
    void conn.local?.whenSynced.then(() => {
      // Offline with a local copy: show it rather than a spinner.
      if (!navigator.onLine) set({ ready: true });
    });
    window.addEventListener('offline', onOffline);
    window.addEventListener('online', onOnline);
    return () => {
      window.removeEventListener('offline', onOffline);
      window.removeEventListener('online', onOnline);
      provider.off('status', onStatus);
      provider.off('sync', onSync);
      provider.off('connection-close', onClose);
      conn.destroy();
    };
  }, [boardId, key, generation]);

  return state;
}
