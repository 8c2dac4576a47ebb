/**
 * Simulated people for the authority property tests (docs/spec.md R50, R51): a device with its
 * own secret whose stock y-websocket provider can go offline, come back, and "reload" (the page
 * and its Y.Doc are thrown away and a new document is rebuilt from the bytes the device kept, as
 * y-indexeddb does), while every refusal the server ever sent it is kept across reloads.
 *
 * Also: raw y-websocket sessions for hand-made frames, the SQLite file read directly, and a
 * schema check of a whole document (every record of every root, no content elsewhere).
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import WebSocket from 'ws';
import * as decoding from 'lib0/decoding';
import { WebsocketProvider } from 'y-websocket';
import {
  BoardMetaSchema,
  ClusterSchema,
  DomainSchema,
  NoteSchema,
  RelationSchema,
  decodeMessage,
  encodeSyncStep1,
  ownerIdFromSecret,
  MessageType,
  SyncStep,
} from '@maillage/shared';

/** Origin of the simulated person's own edits (the client uses a symbol too: LOCAL_ORIGIN). */
export const SIM_LOCAL = Symbol('authority-sim-local');

/** A note as the model knows it: what its owner last wrote. */
export interface ModelNote {
  text: string;
  x: number;
  y: number;
  domainId: string;
  ownerId: string;
}

/**
 * One device. `denials` and `closes` accumulate over every provider the device ever had, so a
 * refusal before a reload is not forgotten.
 */
export class SimDevice {
  readonly ownerId: string;
  doc: Y.Doc;
  provider: WebsocketProvider;
  online = true;
  /** Reasons of every y-websocket auth (permission denied) message received. */
  readonly denials: string[] = [];
  /** Every close code of a connection the server (or the network) closed. */
  readonly closes: number[] = [];
  /** What this device's owner wrote last, per note id it made and did not delete. */
  readonly model = new Map<string, ModelNote>();
  reloads = 0;

  constructor(
    private readonly wsBase: () => string,
    private readonly boardId: string,
    readonly secret: string,
    readonly name: string,
    /** A host's or review link's key (`?k=`), sent with the device secret as the client does. */
    private readonly key: string | null = null,
  ) {
    this.ownerId = ownerIdFromSecret(secret);
    this.doc = new Y.Doc();
    this.provider = this.open(true);
  }

  private open(connect: boolean): WebsocketProvider {
    const provider = new WebsocketProvider(this.wsBase(), this.boardId, this.doc, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      params: { o: this.secret, ...(this.key ? { k: this.key } : {}) },
      connect,
      disableBc: true,
      maxBackoffTime: 300,
    });
    // Auth messages (type 2): the stock handler only logs; keep the reason instead.
    provider.messageHandlers[MessageType.Auth] = (_encoder, decoder) => {
      if (decoding.readVarUint(decoder) === 0) this.denials.push(decoding.readVarString(decoder));
    };
    provider.on('connection-close', (e: CloseEvent | null) => {
      if (e) this.closes.push(e.code);
    });
    return provider;
  }

  goOffline(): void {
    this.online = false;
    this.provider.disconnect();
  }

  goOnline(): void {
    this.online = true;
    this.provider.connect();
  }

  /**
   * A page reload: the provider and document are destroyed; a new document (new Yjs client id,
   * as a new page has) is rebuilt from the encoded state the device had kept, then connects if
   * the device is online.
   */
  reload(): void {
    const kept = Y.encodeStateAsUpdate(this.doc);
    this.provider.destroy();
    this.doc.destroy();
    this.doc = new Y.Doc();
    Y.applyUpdate(this.doc, kept, SIM_LOCAL);
    this.provider = this.open(this.online);
    this.reloads++;
  }

  destroy(): void {
    this.provider.destroy();
    this.doc.destroy();
  }
}

/** The notes of a document as the model sees them (only the fields the model tracks). */
export function modelView(doc: Y.Doc): Record<string, ModelNote> {
  const out: Record<string, ModelNote> = {};
  doc.getMap<Y.Map<unknown>>('notes').forEach((m, id) => {
    if (!(m instanceof Y.Map)) {
      out[id] = { text: `<not a map: ${typeof m}>`, x: NaN, y: NaN, domainId: '', ownerId: '' };
      return;
    }
    const j = m.toJSON() as Record<string, unknown>;
    out[id] = { text: j.text as string, x: j.x as number, y: j.y as number, domainId: j.domainId as string, ownerId: j.ownerId as string };
  });
  return out;
}

/** The wall's document as stored in the SQLite file (read-only connection; WAL allows it). */
export function storedDoc(dataDir: string, boardId: string): Y.Doc {
  const db = new Database(path.join(dataDir, 'maillage.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT data FROM updates WHERE board_id = ? ORDER BY seq').all(boardId) as { data: Buffer }[];
    const doc = new Y.Doc();
    for (const r of rows) Y.applyUpdate(doc, new Uint8Array(r.data));
    return doc;
  } finally {
    db.close();
  }
}

/* ------------------------------------------------------------------ schema of a whole document */

const KNOWN_ROOTS = ['meta', 'notes', 'domains', 'clusters', 'relations'] as const;
const RECORD_SCHEMAS = {
  notes: NoteSchema.strict(),
  domains: DomainSchema.strict(),
  clusters: ClusterSchema.strict(),
  relations: RelationSchema.strict(),
} as const;

interface ItemLike {
  deleted: boolean;
  right: ItemLike | null;
}
interface TypeInternals {
  _start: ItemLike | null;
  _map: Map<string, ItemLike>;
}

function visibleListItems(t: unknown): number {
  let n = 0;
  for (let it = (t as TypeInternals)._start; it; it = it.right) if (!it.deleted) n++;
  return n;
}

function visibleMapEntries(t: unknown): number {
  let n = 0;
  for (const it of (t as TypeInternals)._map.values()) if (!it.deleted) n++;
  return n;
}

/**
 * Everything in `doc` that the schema does not allow, as readable lines (empty when it passes):
 * every entry of notes/domains/clusters/relations must be a Y.Map whose JSON passes the record's
 * zod schema with no unknown field; meta must pass BoardMetaSchema (strict); no list content
 * under a map root; no other root holds anything.
 */
export function schemaViolations(doc: Y.Doc): string[] {
  const out: string[] = [];
  for (const [name, type] of doc.share) {
    if (!(KNOWN_ROOTS as readonly string[]).includes(name)) {
      const n = visibleListItems(type) + visibleMapEntries(type);
      if (n) out.push(`unknown root "${name.slice(0, 40)}" holds ${n} item(s)`);
      continue;
    }
    if (visibleListItems(type)) out.push(`root ${name} holds list content`);
  }
  const meta = doc.getMap<unknown>('meta');
  const m = BoardMetaSchema.strict().safeParse(meta.toJSON());
  if (!m.success) out.push(`meta: ${m.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  for (const root of ['notes', 'domains', 'clusters', 'relations'] as const) {
    doc.getMap<unknown>(root).forEach((value, key) => {
      const where = `${root}[${key.slice(0, 40)}]`;
      if (!(value instanceof Y.Map)) {
        out.push(`${where} is ${value === null ? 'null' : value instanceof Y.AbstractType ? value.constructor.name : typeof value}`);
        return;
      }
      const json = value.toJSON() as Record<string, unknown>;
      const p = RECORD_SCHEMAS[root].safeParse({ ...json, id: key });
      if (!p.success) out.push(`${where}: ${p.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ').slice(0, 300)}`);
      for (const [field, v] of value.entries()) if (v instanceof Y.AbstractType) out.push(`${where}.${field} is a ${v.constructor.name}`);
    });
  }
  return out;
}

/* ------------------------------------------------------------------ raw y-websocket sessions */

/**
 * A y-websocket connection without a provider: hand-made frames go out as they are. It asks for
 * the server's state on open (sync step 1 of an empty document), keeps what comes back in `doc`,
 * and records auth refusals and the close code.
 */
export class RawSession {
  readonly doc = new Y.Doc();
  readonly denials: string[] = [];
  closeCode: number | null = null;
  private readonly ws: WebSocket;
  private waiters: (() => void)[] = [];
  private step2s = 0;
  readonly opened: Promise<void>;
  readonly closed: Promise<number | null>;

  constructor(url: string) {
    this.ws = new WebSocket(url);
    this.ws.binaryType = 'nodebuffer';
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
      this.ws.once('unexpected-response', (_q, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    });
    this.closed = new Promise((resolve) =>
      this.ws.once('close', (code) => {
        this.closeCode = code;
        for (const w of this.waiters.splice(0)) w();
        resolve(code);
      }),
    );
    this.ws.on('message', (data: Buffer) => {
      let msg;
      try {
        msg = decodeMessage(new Uint8Array(data));
      } catch {
        return;
      }
      if (msg.type === MessageType.Auth) this.denials.push(msg.reason);
      else if (msg.type === MessageType.Sync && (msg.step === SyncStep.Step2 || msg.step === SyncStep.Update)) {
        try {
          Y.applyUpdate(this.doc, msg.payload);
        } catch {
          /* the server sent something Yjs cannot read: the schema check will say so */
        }
        if (msg.step === SyncStep.Step2) {
          this.step2s++;
          for (const w of this.waiters.splice(0)) w();
        }
      }
    });
  }

  static async open(url: string): Promise<RawSession> {
    const s = new RawSession(url);
    await s.opened;
    await s.roundTrip();
    return s;
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  send(frame: Uint8Array): void {
    if (this.isOpen) this.ws.send(frame);
  }

  /**
   * Sends sync step 1 and waits for the step 2 answer: the server handles a connection's frames
   * in order, so everything sent before has been judged once this resolves (or the socket closed).
   */
  async roundTrip(ms = 5000): Promise<void> {
    if (!this.isOpen) return;
    const target = this.step2s + 1;
    const done = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no sync step 2 answer in time')), ms);
      const check = () => {
        if (this.step2s >= target || !this.isOpen) {
          clearTimeout(timer);
          resolve();
        } else this.waiters.push(check);
      };
      this.waiters.push(check);
    });
    this.ws.send(encodeSyncStep1(new Y.Doc()));
    await done;
  }

  close(): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.terminate();
    this.doc.destroy();
  }
}
