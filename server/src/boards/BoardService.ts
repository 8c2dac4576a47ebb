/**
 * Wall lifecycle, independent of transport: create from a template, read a summary, delete.
 * HTTP routes and socket.io handlers call this; it talks to the store and the live rooms.
 */
import * as Y from 'yjs';
import {
  CloseCode,
  DEFAULT_TEMPLATE,
  ErrorCode,
  MaillageError,
  TEMPLATES,
  initBoard,
  isBoardId,
  migrateDoc,
  newBoardId,
  newKey,
  readWall,
  type BoardId,
  type CreateBoardInput,
  type Domain,
  type Role,
} from '@maillage/shared';
import type { BoardRecord, BoardStore } from '../store/index.ts';
import type { RoomManager } from '../sync/RoomManager.ts';
import { resolveRole } from '../auth/keys.ts';
import type { Logger } from '../logger.ts';
import { logReadProblems } from './readProblems.ts';

/** Contact details are erased this many days after the session ends unless the host chose otherwise (R88). */
export const DEFAULT_CONTACT_RETENTION_DAYS = 30;

export interface CreatedBoard {
  id: BoardId;
  /** Days contact details are kept after the session ends (0 = until the wall is deleted). */
  contactRetentionDays: number;
  hostKey: string;
  reviewKey: string;
  title: string;
  template: string;
  links: { participant: string; host: string; review: string };
}

export interface BoardSummary {
  id: BoardId;
  title: string;
  template: string;
  domains: Domain[];
  noteCount: number;
}

/** Links carry the key in the fragment (#k=…) so it never reaches a server log or a Referer. */
export function linksFor(id: BoardId, hostKey: string, reviewKey: string): CreatedBoard['links'] {
  return {
    participant: `/b/${id}`,
    host: `/b/${id}#k=${hostKey}`,
    review: `/b/${id}#k=${reviewKey}`,
  };
}

/**
 * How long the summary of a wall nobody has open is reused. `GET /api/boards/:id` needs no key,
 * and without a live room each request rebuilt the wall from storage (~1 s at 5,000 notes under
 * load, R219): reused briefly, and shared by requests arriving together, it costs one build per
 * wall per interval however often it is asked. A wall changes through a room, whose loading and
 * unloading forget the kept summary (a live wall answers live), or through an erasure on a wall
 * nobody has open. Both only on this process: with several processes, one whose room is elsewhere
 * (or an erasure on a closed wall) may answer a count up to the interval old — a summary holds no
 * personal data, and the wall itself is always read live.
 */
const SUMMARY_TTL_MS = 10_000;
/** Summaries kept at most (the oldest go first). */
const MAX_SUMMARIES = 1000;

export class BoardService {
  /** Called after a wall is deleted (the session layer tells connected clients). */
  onDeleted: ((id: BoardId) => void) | null = null;
  private readonly summaries = new Map<BoardId, { at: number; value: Promise<BoardSummary> }>();

  constructor(
    private readonly store: BoardStore,
    private readonly rooms: RoomManager,
    private readonly log: Logger | null = null,
  ) {
    // A kept summary describes a wall nobody had open; once a room holds it, it may change.
    rooms.use({ onRoomLoaded: (room) => this.forgetSummary(room.id), onRoomUnloading: (room) => this.forgetSummary(room.id) });
  }

  async rotateKey(id: BoardId, which: 'host' | 'review', key: string): Promise<void> {
    await this.store.updateBoard(id, which === 'host' ? { hostKey: key } : { reviewKey: key });
  }

  /**
   * @param fill runs on the fresh document after the template is applied (an import replaces
   *   its content); whatever it throws aborts the creation.
   */
  async create(input: CreateBoardInput, fill?: (doc: Y.Doc) => void): Promise<CreatedBoard> {
    const template = input.template ?? DEFAULT_TEMPLATE;
    const title = input.title?.trim() || TEMPLATES[template].title.fr;
    const doc = new Y.Doc();
    initBoard(doc, { title, template });
    fill?.(doc);
    const rec: BoardRecord = {
      id: newBoardId(),
      hostKey: newKey(),
      reviewKey: newKey(),
      createdAt: Date.now(),
      settings: {},
    };
    await this.store.createBoard(rec, Y.encodeStateAsUpdate(doc));
    doc.destroy();
    // Chosen at creation (the host sees the default, R88); one setting row like any other.
    const days = input.contactRetentionDays ?? DEFAULT_CONTACT_RETENTION_DAYS;
    await this.store.writeSessionRecords(rec.id, { put: [{ kind: 'setting', key: 'contactRetentionDays', owner: null, value: days }] });
    return {
      id: rec.id,
      contactRetentionDays: days,
      hostKey: rec.hostKey,
      reviewKey: rec.reviewKey,
      title,
      template,
      links: linksFor(rec.id, rec.hostKey, rec.reviewKey),
    };
  }

  /** @throws MaillageError not_found for a malformed or unknown id. */
  async requireBoard(id: string): Promise<BoardRecord> {
    const board = isBoardId(id) ? await this.store.getBoard(id) : null;
    if (!board) throw new MaillageError(ErrorCode.NotFound, 'no such wall');
    return board;
  }

  /**
   * @throws MaillageError unauthorized for a wrong key, forbidden when the role is not allowed.
   */
  async authorize(id: string, key: string | undefined, allowed: readonly Role[]): Promise<{ board: BoardRecord; role: Role }> {
    const board = await this.requireBoard(id);
    const role = resolveRole(board, key);
    if (!role) throw new MaillageError(ErrorCode.Unauthorized, 'invalid key');
    if (!allowed.includes(role)) {
      throw new MaillageError(key ? ErrorCode.Forbidden : ErrorCode.Unauthorized, `this needs the ${allowed.join(' or ')} key`);
    }
    return { board, role };
  }

  /**
   * Reads from the live room when loaded, otherwise from storage without keeping it in memory.
   * A stored update Yjs cannot apply, or a migration that fails on a malformed record, is logged
   * and skipped: `fn` still sees whatever could be read (read it with `readWall`, which copes
   * with any content), so one bad record never makes a wall unreadable (R58).
   */
  async withDoc<T>(id: BoardId, fn: (doc: Y.Doc) => T): Promise<T> {
    const live = this.rooms.peek(id);
    if (live) return fn(live.doc);
    const { updates } = await this.store.loadUpdates(id);
    const doc = docFromUpdates(updates, id, this.log);
    try {
      return fn(doc);
    } finally {
      doc.destroy();
    }
  }

  /** `GET /api/boards/:id`: title, template, domains and the count of notes the wall shows. */
  async summary(id: string): Promise<BoardSummary> {
    const board = await this.requireBoard(id);
    // A live wall answers live (loading its room forgot any kept summary); while its room unloads,
    // storage may still lack its last updates: answer, but keep nothing.
    if (this.rooms.peek(board.id) || this.rooms.isUnloading(board.id)) return this.readSummary(board.id);
    const kept = this.summaries.get(board.id);
    if (kept && Date.now() - kept.at < SUMMARY_TTL_MS) return kept.value;
    const value = this.readSummary(board.id);
    this.summaries.delete(board.id);
    this.summaries.set(board.id, { at: Date.now(), value });
    if (this.summaries.size > MAX_SUMMARIES) this.summaries.delete(this.summaries.keys().next().value as BoardId);
    value.catch(() => this.summaries.delete(board.id));
    return value;
  }

  /** Forgets a kept summary (the wall's stored content changed without a room, or it is gone). */
  forgetSummary(id: BoardId): void {
    this.summaries.delete(id);
  }

  private async readSummary(id: BoardId): Promise<BoardSummary> {
    const read = await this.withDoc(id, readWall);
    if (this.log) logReadProblems(this.log, id, read.problems, 'summary');
    return { id, title: read.meta.title, template: read.meta.template, domains: read.domains, noteCount: read.notes.length };
  }

  /** Erases the wall everywhere and disconnects its clients with CloseCode.Gone. */
  async delete(id: BoardId): Promise<void> {
    await this.rooms.discard(id, CloseCode.Gone, 'wall deleted');
    await this.store.deleteBoard(id);
    this.forgetSummary(id);
    this.onDeleted?.(id);
  }
}

/**
 * A throw-away document holding a wall's stored updates, migrated. Never throws on content: an
 * update that cannot be applied or a migration that fails is logged (no content) and skipped.
 * The caller destroys the document.
 */
export function docFromUpdates(updates: readonly Uint8Array[], board: BoardId, log: Logger | null): Y.Doc {
  const doc = new Y.Doc();
  doc.transact(() => {
    updates.forEach((u, index) => {
      try {
        Y.applyUpdate(doc, u);
      } catch (err) {
        log?.warn({ board, index, errName: (err as Error)?.name }, 'skipped a stored update that cannot be applied');
      }
    });
  });
  safeMigrate(doc, board, log);
  return doc;
}

/** `migrateDoc` that logs instead of throwing (a migration may trip over a malformed record). */
export function safeMigrate(doc: Y.Doc, board: BoardId, log: Logger | null, origin?: unknown): void {
  try {
    migrateDoc(doc, origin);
  } catch (err) {
    log?.warn({ board, errName: (err as Error)?.name }, 'migration failed on a malformed record; reading the wall as it is');
  }
}
