/**
 * Who is here. Yjs awareness carries only a name and a colour per person (set once; the provider
 * renews it every 15 s), and — unlike the stock provider, which re-sends every remote awareness
 * change it receives (yjs/yjs#732) and so makes N² traffic — we send only our own state. Cursors
 * travel over socket.io (sync/session.ts, server/src/session/presence.ts).
 */
import { useEffect, useState } from 'react';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as encoding from 'lib0/encoding';
import type { WebsocketProvider } from 'y-websocket';
import { MessageType } from '@maillage/shared';

export interface PresentPerson {
  clientId: number;
  name: string;
  color: string;
}

/** Replaces the provider's awareness handler by one that forwards only our own changes. */
export function sendOnlyOwnAwareness(provider: WebsocketProvider): void {
  type Handler = (change: { added: number[]; updated: number[]; removed: number[] }) => void;
  const p = provider as unknown as { _awarenessUpdateHandler: Handler };
  const awareness = provider.awareness;
  awareness.off('update', p._awarenessUpdateHandler);
  const own = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
    const mine = added.concat(updated, removed).filter((id) => id === awareness.clientID);
    if (!mine.length || !provider.wsconnected || !provider.ws) return;
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, MessageType.Awareness);
    encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(awareness, mine));
    provider.ws.send(encoding.toUint8Array(e));
  };
  p._awarenessUpdateHandler = own;
  awareness.on('update', own);
}

/** People with an awareness state on this wall, ourselves included, sorted by name. */
export function usePresence(provider: WebsocketProvider | null, me: { name: string; color: string } | null): PresentPerson[] {
  const [people, setPeople] = useState<PresentPerson[]>([]);
  useEffect(() => {
    if (!provider) return;
    const awareness = provider.awareness;
    if (me?.name) awareness.setLocalStateField('user', { name: me.name, color: me.color });
    let frame: number | null = null;
    const read = () => {
      frame = null;
      const out: PresentPerson[] = [];
      awareness.getStates().forEach((state, clientId) => {
        const user = (state as { user?: { name?: unknown; color?: unknown } }).user;
        if (user && typeof user.name === 'string' && user.name) {
          out.push({ clientId, name: user.name.slice(0, 60), color: typeof user.color === 'string' ? user.color : '#999999' });
        }
      });
      setPeople(out.sort((a, b) => a.name.localeCompare(b.name)));
    };
    const onChange = () => {
      frame ??= requestAnimationFrame(read);
    };
    awareness.on('change', onChange);
    read();
    return () => {
      awareness.off('change', onChange);
      if (frame !== null) cancelAnimationFrame(frame);
    };
  }, [provider, me?.name, me?.color]);
  return people;
}
