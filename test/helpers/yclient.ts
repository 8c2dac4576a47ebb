/**
 * A real, unmodified y-websocket client (the same package the browser uses) running in Node.
 */
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import WebSocket from 'ws';
import * as decoding from 'lib0/decoding';

export interface YClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  synced: Promise<void>;
  /** Reasons of every permission-denied (auth) message the server sent, in order. */
  denials: string[];
  /** Close codes of every connection this client had that was closed. */
  closes: number[];
  destroy(): void;
}

export function connectClient(
  wsBase: string,
  boardId: string,
  opts: { key?: string; ownerSecret?: string; connect?: boolean } = {},
): YClient {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(wsBase, boardId, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: { ...(opts.key ? { k: opts.key } : {}), ...(opts.ownerSecret ? { o: opts.ownerSecret } : {}) },
    connect: opts.connect ?? true,
    disableBc: true,
    maxBackoffTime: 300,
  });
  // Record what the server says back: refusals (auth, permission denied) and close codes.
  const denials: string[] = [];
  const closes: number[] = [];
  provider.messageHandlers[2] = (_encoder, decoder) => {
    if (decoding.readVarUint(decoder) === 0) denials.push(decoding.readVarString(decoder));
  };
  provider.on('connection-close', (e: CloseEvent | null) => {
    if (e) closes.push(e.code);
  });
  const synced = new Promise<void>((resolve) => {
    if (provider.synced) return resolve();
    provider.once('sync', (s: boolean) => s && resolve());
  });
  return {
    doc,
    provider,
    synced,
    denials,
    closes,
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

/** Resolves once `predicate` holds, re-checking on every document change; rejects after `ms`. */
export function waitFor(doc: Y.Doc, predicate: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  return new Promise((resolve, reject) => {
    if (predicate()) return resolve();
    const timer = setTimeout(() => {
      doc.off('update', check);
      reject(new Error(`timed out waiting for ${what}`));
    }, ms);
    const check = () => {
      if (predicate()) {
        clearTimeout(timer);
        doc.off('update', check);
        resolve();
      }
    };
    doc.on('update', check);
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
