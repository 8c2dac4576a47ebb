/**
 * Recording clients for the personal-data tests (issue 13, docs/spec.md R80–R83): everything a
 * role receives, kept as text that can be searched for an email.
 *
 * - y-websocket: a stock `WebsocketProvider` whose WebSocket records every incoming frame. A frame
 *   is searched twice: as raw bytes (Yjs writes strings as UTF-8, so an email inside an update is
 *   there verbatim) and decoded (sync updates as `Y.decodeUpdate` structs and as the document they
 *   build, awareness states as their JSON).
 * - socket.io: every event (`onAny`, attached before `board:join` so nothing pushed with the join
 *   is missed) and every acknowledgement.
 * - REST: every answer the role may ask for, a PDF as its extracted text.
 */
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import WebSocket from 'ws';
import * as decoding from 'lib0/decoding';
import { io, type Socket } from 'socket.io-client';
import { PDFParse } from 'pdf-parse';
import type { Role } from '@maillage/shared';

/**
 * JSON of anything Yjs decoding yields (bigint, byte arrays, cycles). Shared types inside decoded
 * structs are not integrated in a document: they are named, never asked for their content.
 */
export function safeJson(value: unknown): string {
  const seen = new WeakSet<object>();
  const plain = (v: unknown): unknown => {
    if (typeof v === 'bigint') return v.toString();
    if (v instanceof Uint8Array) return Buffer.from(v).toString('utf8');
    if (v instanceof Y.AbstractType) return `[${v.constructor.name}]`;
    if (!v || typeof v !== 'object') return v;
    if (seen.has(v)) return '[cycle]';
    seen.add(v);
    if (Array.isArray(v)) return v.map(plain);
    if (v instanceof Map) return Object.fromEntries(Array.from(v, ([k, x]) => [String(k), plain(x)]));
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = plain(x);
    return out;
  };
  return JSON.stringify(plain(value));
}

/** A Yjs update as searchable text: its bytes, its decoded structs, and the document it builds. */
export function updateText(update: Uint8Array): string {
  const parts = [Buffer.from(update).toString('utf8')];
  try {
    parts.push(safeJson(Y.decodeUpdate(update)));
  } catch (err) {
    parts.push(`[undecodable update: ${(err as Error).message}]`);
  }
  try {
    const d = new Y.Doc();
    Y.applyUpdate(d, update);
    parts.push(docJson(d));
    d.destroy();
  } catch {
    /* an update that does not apply alone (missing dependencies): its structs are above */
  }
  return parts.join('\n');
}

/** Every root of a document as JSON, whatever type it was created with. */
export function docJson(doc: Y.Doc): string {
  const out: Record<string, unknown> = {};
  // A root read from an update is untyped until asked for as a type: try the kinds in turn.
  for (const name of Array.from(doc.share.keys())) {
    for (const read of [() => doc.getMap(name).toJSON(), () => doc.getArray(name).toJSON(), () => doc.getText(name).toJSON(), () => doc.getXmlFragment(name).toJSON()]) {
      try {
        out[name] = read();
        break;
      } catch {
        /* another kind */
      }
    }
  }
  return safeJson(out);
}

/** A document as searchable text: its full encoded state (bytes and decoded) and its JSON. */
export function docText(doc: Y.Doc): string {
  return `${updateText(Y.encodeStateAsUpdate(doc))}\n${docJson(doc)}`;
}

/** One y-websocket frame as searchable text (raw bytes first, then what it decodes to). */
export function frameText(frame: Uint8Array): string {
  const parts = [Buffer.from(frame).toString('utf8')];
  try {
    const dec = decoding.createDecoder(frame);
    const type = decoding.readVarUint(dec);
    if (type === 0) {
      const sub = decoding.readVarUint(dec);
      if (sub === 1 || sub === 2) parts.push(updateText(decoding.readVarUint8Array(dec)));
    } else if (type === 1) {
      const update = decoding.createDecoder(decoding.readVarUint8Array(dec));
      const n = decoding.readVarUint(update);
      for (let i = 0; i < n; i++) {
        decoding.readVarUint(update); // client id
        decoding.readVarUint(update); // clock
        parts.push(decoding.readVarString(update));
      }
    } else if (type === 2) {
      decoding.readVarUint(dec);
      parts.push(decoding.readVarString(dec));
    }
  } catch (err) {
    parts.push(`[undecodable frame: ${(err as Error).message}]`);
  }
  return parts.join('\n');
}

export interface RecordingYClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  synced: Promise<void>;
  /** Every frame the server sent, in order. */
  frames: Uint8Array[];
  denials: string[];
  closes: number[];
  destroy(): void;
}

/** A stock y-websocket client (no key: participant link) that records every frame it receives. */
export function connectRecording(wsBase: string, boardId: string, opts: { key?: string; ownerSecret?: string } = {}): RecordingYClient {
  const frames: Uint8Array[] = [];
  class RecordingWebSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols);
      this.on('message', (data: WebSocket.RawData) => {
        if (Array.isArray(data)) frames.push(new Uint8Array(Buffer.concat(data)));
        else frames.push(new Uint8Array(data instanceof ArrayBuffer ? data : data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)));
      });
    }
  }
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(wsBase, boardId, doc, {
    WebSocketPolyfill: RecordingWebSocket as unknown as typeof globalThis.WebSocket,
    params: { ...(opts.key ? { k: opts.key } : {}), ...(opts.ownerSecret ? { o: opts.ownerSecret } : {}) },
    disableBc: true,
    maxBackoffTime: 300,
  });
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
    frames,
    denials,
    closes,
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

export interface Received {
  event: string;
  args: unknown[];
}

export type RecordingSocket = Socket & {
  role: Role;
  ownerId: string | null;
  /** Every event and acknowledgement this socket received, in order. */
  received: Received[];
};

/**
 * Joins a wall over socket.io, recording every event from before the join on. The session
 * events of issue 13 (`contact:*`, `contacts:*`) are not in the typed maps yet, so this socket
 * is untyped.
 * @throws when the join is refused.
 */
export async function joinRecording(
  base: string,
  boardId: string,
  opts: { key?: string; ownerSecret?: string; name?: string } = {},
): Promise<RecordingSocket> {
  const socket = io(base, { path: '/socket.io', transports: ['websocket'], forceNew: true }) as RecordingSocket;
  socket.received = [];
  socket.onAny((event: string, ...args: unknown[]) => socket.received.push({ event, args }));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  const res = (await ack(socket, 'board:join', { boardId, ...opts })) as { ok: boolean; role: Role; ownerId: string | null; error?: { code: string } };
  if (!res.ok) throw new Error(`join failed: ${res.error?.code ?? 'no answer'}`);
  socket.role = res.role;
  socket.ownerId = res.ownerId;
  return socket;
}

/** What `ack` resolves with when the server never acknowledges (an event it does not know). */
export const NO_ACK = Object.freeze({ ok: false, error: { code: 'no_ack', message: 'no acknowledgement' } });

/**
 * Emits `event` and resolves with the acknowledgement, or with `NO_ACK` after `ms`. Every
 * acknowledgement is also recorded as received (it is something the server sent this role).
 */
export function ack(socket: Socket, event: string, req: unknown, ms = 3000): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    socket.timeout(ms).emit(event, req, (err: Error | null, res: Record<string, unknown>) => {
      if (err) return resolve(NO_ACK as never);
      (socket as RecordingSocket).received?.push({ event: `ack:${event}`, args: [res] });
      resolve(res);
    });
  });
}

export interface Answer {
  what: string;
  status: number;
  /** The answer as text (a PDF's extracted text). */
  text: string;
}

async function pdfText(bytes: Uint8Array): Promise<string> {
  const parser = new PDFParse({ data: bytes });
  try {
    return (await parser.getText()).text;
  } finally {
    await parser.destroy();
  }
}

/** Fetches `path` with `key` (none: the participant link) and returns the answer as text. */
export async function answer(http: string, path: string, key?: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(http + path, { ...init, headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(init.headers ?? {}) } });
  const bytes = new Uint8Array(await res.arrayBuffer());
  const isPdf = res.status === 200 && (res.headers.get('content-type') ?? '').startsWith('application/pdf');
  return { what: path, status: res.status, text: isPdf ? `${await pdfText(bytes)}\n${Buffer.from(bytes).toString('latin1')}` : new TextDecoder().decode(bytes) };
}

/**
 * Every REST answer about a wall that a role may ask for: summary, links, snapshot list, every
 * snapshot (time travel), exports (CSV both dialects, JSON, PDF), cluster suggestions, contacts.
 */
export async function everyAnswer(http: string, boardId: string, key: string | undefined, snapshotIds: string[]): Promise<Answer[]> {
  const p = `/api/boards/${boardId}`;
  const paths = [
    p,
    `${p}/links`,
    `${p}/snapshots`,
    ...snapshotIds.map((sid) => `${p}/snapshots/${sid}`),
    `${p}/export.csv`,
    `${p}/export.csv?lang=fr&sep=semicolon`,
    `${p}/export.json`,
    `${p}/export.pdf`,
    `${p}/export.pdf?lang=fr`,
    `${p}/clusters`,
    `${p}/contacts`,
  ];
  const out: Answer[] = [];
  for (const path of paths) out.push(await answer(http, path, key));
  return out;
}

/** Which of `needles` occur in `text`, case-insensitively. */
export function occurring(text: string, needles: readonly string[]): string[] {
  const t = text.toLowerCase();
  return needles.filter((n) => t.includes(n.toLowerCase()));
}

/** Everything a socket received, as one searchable text per event. */
export function receivedTexts(s: RecordingSocket, from = 0): { what: string; text: string }[] {
  return s.received.slice(from).map((r) => ({ what: r.event, text: safeJson(r.args) }));
}

/**
 * The emails in the latest `contacts:list` a socket received (`{ [ownerId]: email }`), or null
 * when it received none.
 */
export function latestContactList(s: RecordingSocket): Record<string, string> | null {
  for (let i = s.received.length - 1; i >= 0; i--) {
    const r = s.received[i];
    if (r?.event === 'contacts:list') return (r.args[0] ?? {}) as Record<string, string>;
  }
  return null;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
