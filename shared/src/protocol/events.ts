/**
 * socket.io event maps, compiled against by both the server (`Server<…>`) and the client
 * (`Socket<…>`). Session events live here; document state never does (that is Yjs's job).
 */
import type { ErrorBody } from '../errors/index.ts';

export type Role = 'host' | 'participant' | 'review';

export interface SessionState {
  boardId: string;
  /** Number of people connected to the wall's live document. */
  participants: number;
}

export type Ack<T> = (res: ({ ok: true } & T) | ({ ok: false } & ErrorBody)) => void;

export interface ClientToServerEvents {
  'board:join': (req: { boardId: string; key?: string }, ack: Ack<{ role: Role; state: SessionState }>) => void;
}

export interface ServerToClientEvents {
  'session:state': (state: SessionState) => void;
  'board:deleted': (info: { boardId: string }) => void;
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface InterServerEvents {}

export interface SocketData {
  boardId?: string;
  role?: Role;
}
