/**
 * Sends this device's email and the person's choice of who may see it to the server's contact
 * store (`contact:set`, R90) — once when the page has joined and again when either changes — so that the
 * email never has to travel on a note. Hosts and participants only: a review link or the
 * projection writes nothing.
 */
import { useEffect, useRef } from 'react';
import type { Profile } from './profile.ts';
import type { SessionInfo } from './session.ts';

const ERASED_PREFIX = 'maillage.erased.';

/**
 * Marks a wall from which this person removed themself: their email is not sent to it again
 * until they enter their details anew ("My details"), or the erasure would be undone by the next
 * reload. Kept with the wall's other entries (removed when the wall is forgotten).
 */
export function markErased(boardId: string, erased: boolean): void {
  try {
    if (erased) localStorage.setItem(ERASED_PREFIX + boardId, '1');
    else localStorage.removeItem(ERASED_PREFIX + boardId);
  } catch {
    // Storage disabled: the flag lasts as long as the page.
  }
}

function isErased(boardId: string): boolean {
  try {
    return localStorage.getItem(ERASED_PREFIX + boardId) === '1';
  } catch {
    return false;
  }
}

export function useContactSync(boardId: string, session: SessionInfo, profile: Profile | null): void {
  const sent = useRef<string | null>(null);
  const { socket, live, role, contactMine } = session;
  const email = profile?.email ?? '';
  const share = profile?.share ?? null;
  useEffect(() => {
    if (!socket || !live || (role !== 'host' && role !== 'participant') || !share || !email) return;
    if (isErased(boardId)) return;
    // One send per page and value (the store keeps it across reconnects: the session socket is
    // replaced when the name changes, which is no reason to send it again); none when the server
    // already holds exactly this; again after a failure.
    const sig = `${email}\n${share}`;
    if (sent.current === sig) return;
    if (contactMine && contactMine.email === email && contactMine.share === share) {
      sent.current = sig;
      return;
    }
    // A tick later, and on the socket that joined: a new name replaces the session socket in
    // the same render, and the next one must not get the command before it has joined.
    const timer = setTimeout(() => {
      if (!socket.connected) return; // replaced: its successor sends once it has joined
      sent.current = sig;
      socket.timeout(8000).emit('contact:set', { email, share }, (err, res) => {
        if ((err || !res.ok) && sent.current === sig) sent.current = null; // again on the next change or join
      });
    }, 0);
    return () => clearTimeout(timer);
  }, [boardId, socket, live, role, email, share, contactMine]);
}
