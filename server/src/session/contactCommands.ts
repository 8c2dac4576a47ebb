/**
 * Contact details over socket.io (issue 13, docs/spec.md R84–R86): a person sets their own email
 * and choice, erases themself, a host erases someone; every socket of the wall is pushed the
 * emails it may see (`contacts:list`) and its own details (`contacts:mine`) on join and after
 * every change. What each socket may see is decided by the privacy module, per role and device.
 */
import { z } from 'zod';
import type { BoardId, ContactListAccess, Role } from '@maillage/shared';
import type { ContactService } from '../contacts/ContactService.ts';
import type { ContactRecord } from '../store/index.ts';
import type { ErasureService } from '../contacts/ErasureService.ts';
import { emailAccess, policyOf, viewerFor } from '../privacy/index.ts';
import { errorFields, type Logger } from '../logger.ts';
import { boardRoom, type SessionService } from './SessionService.ts';
import { command, type SessionIo, type SessionSocket } from './SessionServer.ts';
import { parseReq } from './validate.ts';

const WRITERS = ['host', 'participant'] as const;
const ErasePerson = z.object({ ownerId: z.string().min(1).max(64) }).strict();

export interface ContactDeps {
  log: Logger;
  sessions: SessionService;
  contacts: ContactService;
  erasure: ErasureService;
}

/** Pushes each socket of a wall (or one socket) the emails it may see and its own details. */
export class ContactPush {
  constructor(
    private readonly io: () => SessionIo | null,
    private readonly deps: Pick<ContactDeps, 'sessions' | 'contacts' | 'log'>,
  ) {}

  /** To one socket that just joined. */
  async toSocket(socket: SessionSocket): Promise<void> {
    const id = socket.data.boardId as BoardId | undefined;
    if (!id || !socket.data.role) return;
    const policy = policyOf(await this.deps.sessions.settings(id));
    const rows = await this.deps.contacts.list(id);
    this.send(socket, id, rows, policy);
  }

  /** To every socket of the wall, in every process (the adapter lists remote sockets too). */
  async toWall(id: BoardId): Promise<void> {
    const io = this.io();
    if (!io) return;
    const [sockets, settings, rows] = await Promise.all([io.in(boardRoom(id)).fetchSockets(), this.deps.sessions.settings(id), this.deps.contacts.list(id)]);
    const policy = policyOf(settings);
    const lists = new WallLists(this.deps.contacts, rows, policy);
    for (const s of sockets) if (s.data.boardId === id && s.data.role) this.send(s, id, rows, policy, lists);
  }

  private readonly queued = new Set<BoardId>();

  /**
   * Pushes the wall's lists again shortly; a burst of changes (many people setting their email
   * at once) makes one push to each socket, not one per change. Never throws: a failed push is
   * logged (no content) and the next change pushes again.
   */
  wallChanged(id: BoardId): void {
    if (this.queued.has(id)) return;
    this.queued.add(id);
    const t = setTimeout(() => {
      this.queued.delete(id);
      this.toWall(id).catch((err: unknown) => this.deps.log.warn({ board: id, ...errorFields(err) }, 'pushing contacts failed'));
    }, ContactPush.COALESCE_MS);
    t.unref();
  }

  /** Milliseconds changes to one wall's contacts are gathered before they are pushed. */
  static COALESCE_MS = 30;

  private send(
    s: { data: SessionSocket['data']; emit: (ev: 'contacts:list' | 'contacts:mine', arg: never) => unknown },
    _id: BoardId,
    rows: Awaited<ReturnType<ContactService['list']>>,
    policy: ReturnType<typeof policyOf>,
    lists: WallLists = new WallLists(this.deps.contacts, rows, policy),
  ): void {
    const role = s.data.role;
    if (!role) return;
    const ownerId = s.data.ownerId ?? null;
    // With the list, how far this viewer may see emails at all (R253), so its screen can tell
    // "the hosts do not show emails here" from "nobody gave one".
    const access: ContactListAccess = { emails: emailAccess(viewerFor(role, ownerId), policy) };
    (s.emit as (ev: string, ...args: unknown[]) => unknown)('contacts:list', lists.for(role, ownerId), access);
    if (role !== 'review') {
      const mine = ownerId ? lists.own(ownerId) : undefined;
      (s.emit as (ev: string, arg: unknown) => unknown)('contacts:mine', mine ? { email: mine.email, share: mine.share } : null);
    }
  }
}

/**
 * The lists of one push, each decided once by the privacy module: what hosts see, what a review
 * link sees, and what any participant sees of other people — to which a participant's own email
 * is added, asked of the module for that one row. Deciding every row again for every socket made
 * one person toggling their choice cost (sockets × contacts) per push: 100 participants and 4,000
 * contacts held the event loop for a second at a time (R211).
 */
class WallLists {
  private readonly byRole = new Map<string, Record<string, string>>();
  private readonly byOwner: Map<string, ContactRecord>;

  constructor(
    private readonly contacts: Pick<ContactService, 'visibleFrom'>,
    private readonly rows: readonly ContactRecord[],
    private readonly policy: ReturnType<typeof policyOf>,
  ) {
    this.byOwner = new Map(rows.map((r) => [r.ownerId, r]));
  }

  /** The person's own row, if the store has one. */
  own(ownerId: string): ContactRecord | undefined {
    return this.byOwner.get(ownerId);
  }

  /** What a socket of `role` (a participant's: on device `ownerId`) may see. */
  for(role: Role, ownerId: string | null): Record<string, string> {
    const key = role === 'participant' ? 'participant' : role;
    let base = this.byRole.get(key);
    if (!base) {
      base = this.contacts.visibleFrom(this.rows, viewerFor(role, null), this.policy);
      this.byRole.set(key, base);
    }
    if (role !== 'participant' || !ownerId) return base;
    const mine = this.byOwner.get(ownerId);
    if (!mine || base[ownerId] === mine.email) return base;
    const self = this.contacts.visibleFrom([mine], viewerFor(role, ownerId), this.policy);
    return Object.keys(self).length ? { ...base, ...self } : base;
  }
}

/** The contact commands of one socket. */
export function registerContactCommands(socket: SessionSocket, deps: ContactDeps): void {
  socket.on(
    'contact:set',
    command(socket, deps, WRITERS, async (req, { boardId, ownerId }) => {
      const contact = await deps.contacts.set(boardId, ownerId ?? '', req);
      return { contact };
    }),
  );
  socket.on(
    'contact:erase',
    command(socket, deps, WRITERS, async (_req, { boardId, ownerId }) => {
      return deps.erasure.erasePerson(boardId, ownerId ?? '');
    }),
  );
  socket.on(
    'host:erasePerson',
    command(socket, deps, ['host'], async (req, { boardId }) => {
      const { ownerId } = parseReq(ErasePerson, req);
      return deps.erasure.erasePerson(boardId, ownerId);
    }),
  );
}
