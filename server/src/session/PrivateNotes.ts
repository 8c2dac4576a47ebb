/**
 * Private notes: held by the server (one `private` record each) until a host reveals them, seen
 * only by their author and by hosts. Caps count per wall, per person (owner id), per client
 * address and per connection (R53): an owner id is derived from a secret the client invents, so
 * counting per owner alone let one machine hold as many notes as it invented identities.
 * Pushes carry one note (or one person's own short list), never the whole wall's to everyone.
 */
import {
  ErrorCode,
  MaillageError,
  compareCodeUnits,
  PrivateNoteSchema,
  SESSION_LIMITS,
  addNote,
  listDomains,
  type BoardId,
  type NotePatch,
  type PrivateNote,
  type Role,
} from '@maillage/shared';
import { SERVER_ORIGIN } from '../sync/Room.ts';
import { hostsRoom, ownerRoom, type SessionService } from './SessionService.ts';

/** Who is adding: counted against the per-address and per-connection caps. */
export interface Adder {
  ownerId: string;
  /** Client address (limitKey); '' when unknown. */
  addr: string;
  /** Private notes this connection already added. */
  connectionAdds: number;
}

const limit = (message: string): MaillageError => new MaillageError(ErrorCode.LimitReached, message);

export class PrivateNotes {
  /** Per wall: note id → address it was added from (per-address cap; rebuilt empty on restart). */
  private readonly addrs = new Map<string, Map<string, string>>();

  constructor(private readonly s: SessionService) {}

  forget(id: string): void {
    this.addrs.delete(id);
  }

  /** The private notes a member may see: all for hosts, their own for a participant. */
  async visible(id: BoardId, role: Role, ownerId: string | null): Promise<PrivateNote[]> {
    if (role === 'host') return this.read(await this.s.store.listSessionRecords(id, { kind: 'private' }));
    if (role === 'participant' && ownerId) return this.own(id, ownerId);
    return [];
  }

  private async own(id: BoardId, ownerId: string): Promise<PrivateNote[]> {
    return this.read(await this.s.store.listSessionRecords(id, { kind: 'private', owner: ownerId }));
  }

  private read(records: { value: unknown }[]): PrivateNote[] {
    const out: PrivateNote[] = [];
    for (const r of records) {
      const n = PrivateNoteSchema.safeParse(r.value);
      if (n.success) out.push(n.data);
    }
    return out.sort((a, b) => a.createdAt - b.createdAt || compareCodeUnits(a.id, b.id));
  }

  /**
   * Stores a new private note (one row) and tells its author and the hosts. Also used for a note
   * the document refused because private writing is on (R57). Runs in the wall's queue: never
   * call it from inside `serial`.
   * @throws MaillageError locked (private writing off, wall locked), limit_reached (a cap).
   */
  async add(id: BoardId, withEmail: PrivateNote, who: Adder): Promise<void> {
    await this.s.serial(id, async () => {
      const note = await this.s.withoutEmail(id, withEmail, withEmail.ownerId);
      const settings = await this.s.settings(id);
      if (!settings.privateWriting) throw new MaillageError(ErrorCode.Locked, 'private writing is off');
      if (settings.locked) throw new MaillageError(ErrorCode.Locked, 'the wall is locked');
      await this.checkCaps(id, note, who);
      await this.s.store.writeSessionRecords(id, { put: [{ kind: 'private', key: note.id, owner: note.ownerId, value: note }] });
      if (who.addr) this.addrsOf(id).set(note.id, who.addr);
      await this.changed(id, note.ownerId, note);
      await this.s.publishState(id);
    });
  }

  private async checkCaps(id: BoardId, note: PrivateNote, who: Adder): Promise<void> {
    if (Buffer.byteLength(JSON.stringify(note)) > SESSION_LIMITS.noteBytes) throw limit('this private note is too large');
    if (who.connectionAdds >= SESSION_LIMITS.privateNotesPerConnection) throw limit('too many private notes from this connection');
    if (who.addr) {
      let fromAddr = 0;
      for (const a of this.addrsOf(id).values()) if (a === who.addr) fromAddr++;
      if (fromAddr >= SESSION_LIMITS.privateNotesPerAddress) throw limit('too many private notes from this network');
    }
    const [mine, all] = await Promise.all([
      this.s.store.countSessionRecords(id, { kind: 'private', owner: note.ownerId }),
      this.s.store.countSessionRecords(id, { kind: 'private' }),
    ]);
    if (mine >= SESSION_LIMITS.privateNotesPerOwner) throw limit(`at most ${SESSION_LIMITS.privateNotesPerOwner} private notes each`);
    if (all >= SESSION_LIMITS.privateNotesPerWall) throw limit('too many private notes on this wall');
  }

  private addrsOf(id: string): Map<string, string> {
    let m = this.addrs.get(id);
    if (!m) {
      m = new Map();
      this.addrs.set(id, m);
    }
    return m;
  }

  /**
   * Changes one private note (its author, or a host). @throws not_found, forbidden, limit_reached.
   */
  async update(id: BoardId, noteId: string, patch: NotePatch, by: { role: Role; ownerId: string | null }): Promise<void> {
    await this.s.serial(id, async () => {
      await this.s.requireWall(id);
      const row = (await this.s.store.listSessionRecords(id, { kind: 'private', key: noteId }))[0];
      const cur = PrivateNoteSchema.safeParse(row?.value);
      if (!cur.success) throw new MaillageError(ErrorCode.NotFound, 'no such private note');
      if (by.role !== 'host' && cur.data.ownerId !== by.ownerId) throw new MaillageError(ErrorCode.Forbidden, 'not your note');
      const clean = await this.s.withoutEmail(id, { ...patch, ownerId: cur.data.ownerId }, cur.data.ownerId);
      const next = { ...cur.data, ...Object.fromEntries(Object.entries(clean).filter(([, v]) => v !== undefined)) } as PrivateNote;
      if (this.s.contactSink) delete (next as { email?: string }).email;
      if (Buffer.byteLength(JSON.stringify(next)) > SESSION_LIMITS.noteBytes) throw limit('this private note is too large');
      await this.s.store.writeSessionRecords(id, { put: [{ kind: 'private', key: noteId, owner: next.ownerId, value: next }] });
      await this.changed(id, next.ownerId, next);
    });
  }

  /** Deletes one private note (its author, or a host); deleting a missing one is not an error. */
  async remove(id: BoardId, noteId: string, by: { role: Role; ownerId: string | null }): Promise<void> {
    await this.s.serial(id, async () => {
      await this.s.requireWall(id);
      const row = (await this.s.store.listSessionRecords(id, { kind: 'private', key: noteId }))[0];
      if (!row) return;
      if (by.role !== 'host' && row.owner !== by.ownerId) throw new MaillageError(ErrorCode.Forbidden, 'not your note');
      await this.s.store.writeSessionRecords(id, { remove: [{ kind: 'private', key: noteId }] });
      this.addrsOf(id).delete(noteId);
      await this.changed(id, row.owner, null, [noteId]);
      await this.s.publishState(id);
    });
  }

  /**
   * Posts every private note into the document in one transaction, forgets them and turns
   * private writing off. @returns how many were posted.
   * @throws MaillageError not_found for an unknown wall.
   */
  async reveal(id: BoardId): Promise<number> {
    const room = await this.s.rooms.get(id);
    if (!room) throw new MaillageError(ErrorCode.NotFound, 'no such wall');
    try {
      return await this.s.serial(id, async () => {
        await this.s.requireWall(id);
        const notes = this.read(await this.s.store.listSessionRecords(id, { kind: 'private' }));
        const domains = new Set(listDomains(room.doc).map((d) => d.id));
        const fallback = listDomains(room.doc)[0]?.id;
        let count = 0;
        room.doc.transact(() => {
          for (const n of notes) {
            const domainId = domains.has(n.domainId) ? n.domainId : fallback;
            if (!domainId) continue;
            try {
              addNote(room.doc, { ...n, domainId }, SERVER_ORIGIN);
              count++;
            } catch {
              // A wall at its note limit keeps the rest out; they are dropped with the others.
            }
          }
        }, SERVER_ORIGIN);
        await this.s.store.writeSessionRecords(id, {
          remove: [{ kind: 'private' }],
          put: [{ kind: 'setting', key: 'privateWriting', owner: null, value: false }],
        });
        this.addrs.delete(id);
        const owners = new Set(notes.map((n) => n.ownerId));
        const ids = notes.map((n) => n.id);
        if (ids.length) this.s.push({ to: [hostsRoom(id), ...[...owners].map((o) => ownerRoom(id, o))] }, 'private:removed', { ids });
        for (const o of owners) this.s.push({ to: [ownerRoom(id, o)], except: [hostsRoom(id)] }, 'private:notes', []);
        await this.s.publishState(id);
        return count;
      });
    } finally {
      this.s.rooms.release(room);
    }
  }

  /**
   * Tells the author's sockets and the hosts about one change: the note itself (or its removal);
   * the author's non-host sockets also get their own list (current clients replace theirs).
   */
  private async changed(id: BoardId, ownerId: string | null, note: PrivateNote | null, removed: string[] = []): Promise<void> {
    const to = [hostsRoom(id), ...(ownerId ? [ownerRoom(id, ownerId)] : [])];
    if (note) this.s.push({ to }, 'private:note', note);
    if (removed.length) this.s.push({ to }, 'private:removed', { ids: removed });
    if (ownerId) this.s.push({ to: [ownerRoom(id, ownerId)], except: [hostsRoom(id)] }, 'private:notes', await this.own(id, ownerId));
  }

  /** Pushes what a whole-state update changed in private notes (rare paths). */
  pushDiff(id: BoardId, before: PrivateNote[], after: PrivateNote[]): void {
    const was = new Map(before.map((n) => [n.id, JSON.stringify(n)]));
    const now = new Set(after.map((n) => n.id));
    for (const n of after) if (was.get(n.id) !== JSON.stringify(n)) void this.changed(id, n.ownerId, n).catch(() => undefined);
    const gone = before.filter((n) => !now.has(n.id));
    for (const n of gone) void this.changed(id, n.ownerId, null, [n.id]).catch(() => undefined);
  }
}
