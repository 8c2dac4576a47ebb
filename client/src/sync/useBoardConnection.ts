import { useEffect, useState } from 'react';
import { fatalReasonOf, openConnection, type BoardConnection, type ConnectionStatus, type FatalReason } from './connection.ts';

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

  useEffect(() => {
    const conn = openConnection(boardId, key);
    const { provider } = conn;
    const set = (patch: Partial<BoardConnectionState>) => setState((s) => ({ ...s, ...patch }));
    set({ conn, status: 'connecting', ready: false, fatal: null });

    const onStatus = ({ status }: { status: string }) => {
      if (status === 'connected') set({ status: 'connected' });
      else set({ status: navigator.onLine ? 'connecting' : 'offline' });
    };
    const onSync = (synced: boolean) => synced && set({ ready: true });
    const onClose = (event: CloseEvent | null) => {
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
    provider.on('auth' as never, ((_p: unknown, reason: string) => set({ refused: reason })) as never);
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
  }, [boardId, key]);

  return state;
}
