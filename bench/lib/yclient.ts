/** A stock y-websocket client (the package the browser uses) on the benchmarks' `ws` copy. */
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as encoding from 'lib0/encoding';
import { WebsocketProvider } from 'y-websocket';
import { WebSocket } from './ws.ts';

export interface BenchClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  synced: Promise<void>;
  destroy(): void;
}

export interface ClientOptions {
  params?: Record<string, string>;
  /** Keep the provider's default awareness state (`{}`) instead of clearing it before connecting. */
  awareness?: boolean;
  /** Applied to the document before connecting (so nothing of it is sent). */
  initialUpdate?: Uint8Array;
  /** A WebSocket class to use instead of the plain one (e.g. one that counts bytes). */
  WebSocketClass?: unknown;
}

export function openClient(wsBase: string, room: string, opts: ClientOptions = {}): BenchClient {
  const doc = new Y.Doc();
  if (opts.initialUpdate) Y.applyUpdate(doc, opts.initialUpdate);
  const provider = new WebsocketProvider(wsBase, room, doc, {
    WebSocketPolyfill: (opts.WebSocketClass ?? WebSocket) as typeof globalThis.WebSocket,
    params: opts.params ?? {},
    connect: false,
    disableBc: true,
    maxBackoffTime: 1000,
  });
  if (!opts.awareness) provider.awareness.setLocalState(null);
  const synced = new Promise<void>((resolve) => {
    provider.on('sync', (s: boolean) => s && resolve());
  });
  provider.connect();
  return {
    doc,
    provider,
    synced,
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

/** Rejects after `ms` with `what` in the message; otherwise settles like `p`. */
export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
    }),
  ]);
}

/**
 * Makes a stock provider send only its own awareness changes. Out of the box it re-sends every
 * remote awareness update it applies (yjs/yjs#732), so N people moving cursors cost N² frames
 * upstream too; this is that fix, applied from outside the provider.
 */
export function sendOnlyOwnAwareness(p: WebsocketProvider): void {
  const aw = p.awareness;
  aw.off('update', p._awarenessUpdateHandler);
  aw.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
    const me = aw.clientID;
    if (!added.includes(me) && !updated.includes(me) && !removed.includes(me)) return;
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 1); // awareness message
    encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(aw, [me]));
    if (p.wsconnected && p.ws?.readyState === 1) p.ws.send(encoding.toUint8Array(e));
  });
}
