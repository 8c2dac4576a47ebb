/**
 * The socket.io session: our role on this wall (decided by the server from the key), the
 * session state (lock, timer, vote, follow-me, private notes) and typed host/participant commands.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import type {
  AckResult,
  ClientToServerEvents,
  ClusterSuggestions,
  Contact,
  ContactListAccess,
  HeldWrite,
  PrivateNote,
  Role,
  ServerToClientEvents,
  SessionState,
} from '@maillage/shared';
import { ownerSecret } from './profile.ts';
import { linkTag } from './linkTag.ts';

export type SessionSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

type CommandEvent = Exclude<keyof ClientToServerEvents, 'board:join' | 'host:viewport' | 'presence:cursor'>;
type CommandReq<E extends CommandEvent> = Parameters<ClientToServerEvents[E]>[0];
type CommandRes<E extends CommandEvent> = Parameters<Parameters<ClientToServerEvents[E]>[1]>[0];

export interface SessionInfo {
  socket: SessionSocket | null;
  role: Role | null;
  ownerId: string | null;
  state: SessionState | null;
  /** Server clock minus ours (ms), from the last state: timers count down on the server's clock. */
  clockOffset: number;
  privateNotes: PrivateNote[];
  /**
   * Writes the server holds because the wall was locked (R57): a participant's own, or all of
   * them for hosts; posted by the server when the wall reopens.
   */
  held: HeldWrite[];
  /** The last writes the server released from the hold, and whether it could post them. */
  released: HeldRelease | null;
  voteMine: string[];
  /**
   * The emails this socket may see, by author id, as the server sent them (`contacts:list`, R85):
   * the only source of emails on screen, in the list, the contacts sheet and the CSV.
   */
  contacts: Record<string, string>;
  /** How far this socket may see emails at all, sent with the list (R253); null: not said (an older server). */
  contactAccess: ContactListAccess['emails'] | null;
  /** This device's own contact details as the server holds them (null: none given, or unknown). */
  contactMine: Contact | null;
  /** The last person erased from this wall (R86), and a counter so two erasures are two events. */
  erased: { ownerId: string; seq: number } | null;
  error: string | null;
  deleted: boolean;
  /**
   * True while joined to the live session. While false, `role` and `state` are the last ones this
   * device saw for this wall and link (kept across reloads), so a page reloaded during an outage
   * still knows what it may write; null when it never joined.
   */
  live: boolean;
  /** Hosts only: latest clustering suggestions and the running job's progress. */
  suggestions: ClusterSuggestions | null;
  clusterProgress: { jobId: string; phase: string; fraction: number } | null;
  /** The last clustering failure, by its error code (translated where shown, R205). */
  clusterError: { code: string; message: string } | null;
  /** Sends a command; resolves with the server's acknowledgement (or a timeout error). */
  call<E extends CommandEvent>(event: E, req: CommandReq<E>): Promise<CommandRes<E>>;
}

export function useSession(boardId: string, key: string | null, me?: { name: string; color: string } | null): SessionInfo {
  const socketRef = useRef<SessionSocket | null>(null);
  const [s, setS] = useState<Omit<SessionInfo, 'call'>>({
    socket: null,
    role: null,
    ownerId: null,
    state: null,
    clockOffset: 0,
    privateNotes: [],
    held: [],
    released: null,
    voteMine: [],
    contacts: {},
    contactAccess: null,
    contactMine: null,
    erased: null,
    error: null,
    deleted: false,
    live: false,
    ...lastKnown(boardId, key),
    suggestions: null,
    clusterProgress: null,
    clusterError: null,
  });

  const name = me?.name ?? '';
  const color = me?.color ?? '';
  useEffect(() => {
    const socket: SessionSocket = io({ path: '/socket.io' });
    socketRef.current = socket;
    const withState = (state: SessionState) => ({ state, clockOffset: state.serverNow - Date.now() });
    const join = () =>
      socket.emit('board:join', { boardId, ...(key ? { key } : {}), ownerSecret: ownerSecret(), ...(name ? { name, color } : {}) }, (res) => {
        if (res.ok) {
          remember(boardId, key, { role: res.role, ownerId: res.ownerId, state: res.state });
          setS((p) => ({ ...p, socket, role: res.role, ownerId: res.ownerId, error: null, live: true, ...withState(res.state) }));
        } else setS((p) => ({ ...p, socket, error: res.error.code, live: false }));
      });
    socket.on('connect', join);
    socket.on('disconnect', () => setS((p) => ({ ...p, live: false })));
    socket.on('session:state', (state) =>
      setS((p) => {
        if (p.role) remember(boardId, key, { role: p.role, ownerId: p.ownerId, state });
        return { ...p, ...withState(state) };
      }),
    );
    socket.on('private:notes', (notes) => setS((p) => ({ ...p, privateNotes: notes })));
    // Hosts get whole lists on join, then one change at a time.
    socket.on('private:note', (note) => setS((p) => ({ ...p, privateNotes: [...p.privateNotes.filter((n) => n.id !== note.id), note] })));
    socket.on('private:removed', ({ ids }) => setS((p) => ({ ...p, privateNotes: p.privateNotes.filter((n) => !ids.includes(n.id)) })));
    socket.on('held:notes', (held) => setS((p) => ({ ...p, held })));
    socket.on('held:note', (h) => setS((p) => ({ ...p, held: [...p.held.filter((x) => heldId(x) !== heldId(h)), h] })));
    socket.on('held:released', ({ ids, outcome }) =>
      setS((p) => ({
        ...p,
        held: p.held.filter((x) => !ids.includes(heldId(x))),
        released: { ids, outcome, writes: p.held.filter((x) => ids.includes(heldId(x))), seq: (p.released?.seq ?? 0) + 1 },
      })),
    );
    socket.on('vote:mine', (ids) => setS((p) => ({ ...p, voteMine: ids })));
    socket.on('board:deleted', () => setS((p) => ({ ...p, deleted: true })));
    socket.on('contacts:list', (emails, access) =>
      setS((p) => ({
        ...p,
        contacts: emails && typeof emails === 'object' ? emails : {},
        contactAccess: access && ['all', 'if-shared', 'none'].includes(access.emails) ? access.emails : null,
      })),
    );
    socket.on('contacts:mine', (mine) => setS((p) => ({ ...p, contactMine: mine ?? null })));
    socket.on('person:erased', ({ ownerId }) => setS((p) => ({ ...p, erased: { ownerId, seq: (p.erased?.seq ?? 0) + 1 } })));
    socket.on('cluster:progress', (pr) => setS((p) => ({ ...p, clusterProgress: pr.phase === 'done' ? null : pr, clusterError: null })));
    socket.on('cluster:result', (r) => setS((p) => ({ ...p, suggestions: r, clusterProgress: null })));
    socket.on('cluster:error', (e) => setS((p) => ({ ...p, clusterProgress: null, clusterError: { code: e.code ?? 'internal', message: e.message } })));
    return () => {
      socket.off('connect', join);
      socket.disconnect();
      socketRef.current = null;
    };
  }, [boardId, key, name, color]);

  const call = useCallback(<E extends CommandEvent>(event: E, req: CommandReq<E>): Promise<CommandRes<E>> => {
    const socket = socketRef.current;
    if (!socket) return Promise.resolve({ ok: false, error: { code: 'internal', message: 'not connected' } } as CommandRes<E>);
    return new Promise((resolve) => {
      (socket.timeout(8000).emit as (e: string, r: unknown, cb: (err: unknown, res: unknown) => void) => void)(event, req, (err, res) => {
        if (err) resolve({ ok: false, error: { code: 'internal', message: 'no answer from the server' } } as CommandRes<E>);
        else resolve(res as CommandRes<E>);
      });
    });
  }, []);

  return { ...s, call };
}

export type { AckResult };

/** Held writes that left the server's queue, with what they were (so a dropped one's text is kept). */
export interface HeldRelease {
  ids: string[];
  outcome: 'posted' | 'dropped';
  writes: HeldWrite[];
  /** Increments on each release, so two identical releases are still two events. */
  seq: number;
}

/** The note a held write creates or changes. */
export function heldId(h: HeldWrite): string {
  return h.mode === 'create' ? h.note.id : h.id;
}

/** Whose a held write is (its author's owner id). */
export function heldOwner(h: HeldWrite): string {
  return h.mode === 'create' ? h.note.ownerId : h.ownerId;
}

interface Remembered {
  role: Role;
  ownerId: string | null;
  state: SessionState;
}

/** Where the last session of a wall and link is kept (the link by its tag, never its key). */
function rememberedKey(boardId: string, key: string | null): string {
  return `maillage.session.${boardId}.${linkTag(key)}`;
}

function remember(boardId: string, key: string | null, r: Remembered): void {
  // Only what decides writing outlives the page: a vote, timer or follow-me is live or nothing.
  const state: SessionState = { ...r.state, vote: null, timerEndsAt: null, follow: false, participants: 0 };
  try {
    localStorage.setItem(rememberedKey(boardId, key), JSON.stringify({ ...r, state }));
  } catch {
    // Storage full or disabled: an outage reload then shows the wall read-only until it reconnects.
  }
}

function lastKnown(boardId: string, key: string | null): Partial<Remembered> {
  try {
    const r = JSON.parse(localStorage.getItem(rememberedKey(boardId, key)) ?? 'null') as Remembered | null;
    if (r && (r.role === 'host' || r.role === 'participant' || r.role === 'review') && r.state && typeof r.state.locked === 'boolean') {
      return { role: r.role, ownerId: r.ownerId ?? null, state: r.state };
    }
  } catch {
    /* unreadable: as if never joined */
  }
  return {};
}

/** The key travels in the fragment (`#k=…`) so that it never reaches server logs. */
export function keyFromLocation(): string | null {
  const m = /(?:^#|&)k=([^&]+)/.exec(window.location.hash);
  return m ? decodeURIComponent(m[1] as string) : null;
}
