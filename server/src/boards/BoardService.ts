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
  boardSummary,
  initBoard,
  isBoardId,
  migrateDoc,
  newBoardId,
  newKey,
  type BoardId,
  type CreateBoardInput,
  type Domain,
  type Role,
} from '@maillage/shared';
import type { BoardRecord, BoardStore } from '../store/index.ts';
import type { RoomManager } from '../sync/RoomManager.ts';
import { resolveRole } from '../auth/keys.ts';

export interface CreatedBoard {
  id: BoardId;
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

export class BoardService {
  /** Called after a wall is deleted (the session layer tells connected clients). */
  onDeleted: ((id: BoardId) => void) | null = null;

  constructor(
    private readonly store: BoardStore,
    private readonly rooms: RoomManager,
  ) {}

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
    return {
      id: rec.id,
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

  /** Reads from the live room when loaded, otherwise from storage without keeping it in memory. */
  async withDoc<T>(id: BoardId, fn: (doc: Y.Doc) => T): Promise<T> {
    const live = this.rooms.peek(id);
    if (live) return fn(live.doc);
    const { updates } = await this.store.loadUpdates(id);
    const doc = new Y.Doc();
    try {
      doc.transact(() => updates.forEach((u) => Y.applyUpdate(doc, u)));
      migrateDoc(doc);
      return fn(doc);
    } finally {
      doc.destroy();
    }
  }

  async summary(id: string): Promise<BoardSummary> {
    const board = await this.requireBoard(id);
    const s = await this.withDoc(board.id, boardSummary);
    return { id: board.id, ...s };
  }

  /** Erases the wall everywhere and disconnects its clients with CloseCode.Gone. */
  async delete(id: BoardId): Promise<void> {
    await this.rooms.discard(id, CloseCode.Gone, 'wall deleted');
    await this.store.deleteBoard(id);
    this.onDeleted?.(id);
  }
}
