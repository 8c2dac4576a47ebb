/**
 * The socket.io session: tells us our role on this wall (decided by the server from the key) and
 * carries session events that are not document state.
 */
import { useEffect, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, Role, ServerToClientEvents, SessionState } from '@maillage/shared';

export type SessionSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface SessionInfo {
  socket: SessionSocket | null;
  role: Role | null;
  state: SessionState | null;
  error: string | null;
}

export function useSession(boardId: string, key: string | null): SessionInfo {
  const [info, setInfo] = useState<SessionInfo>({ socket: null, role: null, state: null, error: null });
  useEffect(() => {
    const socket: SessionSocket = io({ path: '/socket.io' });
    const join = () =>
      socket.emit('board:join', { boardId, ...(key ? { key } : {}) }, (res) => {
        if (res.ok) setInfo({ socket, role: res.role, state: res.state, error: null });
        else setInfo((s) => ({ ...s, socket, error: res.error.code }));
      });
    socket.on('connect', join);
    socket.on('session:state', (state) => setInfo((s) => ({ ...s, state })));
    return () => {
      socket.off('connect', join);
      socket.disconnect();
    };
  }, [boardId, key]);
  return info;
}

/** The key travels in the fragment (`#k=…`) so that it never reaches server logs. */
export function keyFromLocation(): string | null {
  const m = /(?:^#|&)k=([^&]+)/.exec(window.location.hash);
  return m ? decodeURIComponent(m[1] as string) : null;
}
