/**
 * Writes the document refused, kept instead of lost (docs/spec.md R57). The write rules put back
 * whatever a participant may not change and report it (RoomManager.onRefused). Two refusals are
 * not about the person's right to write but about timing, so the server keeps what they typed:
 *
 * - `locked`: a new note is held (one `held` record, same note id, same owner) and posted into
 *   the wall when a host unlocks it; an edit of one's own note is held as a patch and applied on
 *   unlock if the note is still there and still theirs.
 * - `private_writing`: a new note becomes an ordinary private note of its author.
 *
 * The author's sockets and the hosts are told over socket.io (`held:*`, `private:*`), so the
 * author's client can say "waiting — the wall is locked; it will be posted when it reopens".
 */
import {
  ErrorCode,
  HeldWriteSchema,
  LIMITS,
  MaillageError,
  NotePatchSchema,
  NoteSchema,
  PrivateNoteSchema,
  SESSION_LIMITS,
  addNote,
  listDomains,
  roots,
  updateNote,
  type BoardId,
  type HeldWrite,
  type PrivateNote,
} from '@maillage/shared';
import * as Y from 'yjs';
import type { Refusal } from '../auth/judge.ts';
import type { Peer } from '../sync/Peer.ts';
import { SERVER_ORIGIN, type Room } from '../sync/Room.ts';
import { errorFields } from '../logger.ts';
import { hostsRoom, ownerRoom, type SessionService } from './SessionService.ts';

const NOTE_FIELDS = Object.keys(NoteSchema.shape) as (keyof typeof NoteSchema.shape)[];
const PATCH_FIELDS = new Set(Object.keys(NotePatchSchema.shape));

/** The note a refused creation would have made, owned by the sender; null when it is not a valid note. */
export function noteFromRefusal(r: Refusal, ownerId: string, now = Date.now()): PrivateNote | null {
  const v = r.value ?? {};
  const picked: Record<string, unknown> = {};
  for (const f of NOTE_FIELDS) if (v[f] !== undefined) picked[f] = v[f];
  const parsed = PrivateNoteSchema.safeParse({
    ...picked,
    id: r.key,
    ownerId,
    org: typeof picked.org === 'string' ? picked.org : '',
    createdAt: typeof picked.createdAt === 'number' ? picked.createdAt : now,
  });
  return parsed.success ? parsed.data : null;
}

/** The fields a refused edit would have changed (valid note fields only); null when none. */
export function patchFromRefusal(r: Refusal, current: Record<string, unknown>): Record<string, unknown> | null {
  const patch: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r.value ?? {})) {
    if (!PATCH_FIELDS.has(k) || JSON.stringify(current[k]) === JSON.stringify(v)) continue;
    patch[k] = v;
  }
  const parsed = NotePatchSchema.safeParse(patch);
  return parsed.success && Object.keys(parsed.data).length ? (parsed.data as Record<string, unknown>) : null;
}

const heldId = (h: HeldWrite): string => (h.mode === 'create' ? h.note.id : h.id);
const heldOwner = (h: HeldWrite): string => (h.mode === 'create' ? h.note.ownerId : h.ownerId);

export class HeldWrites {
  /** Private notes each document connection turned in while private writing was on (per-connection cap). */
  private readonly privateByPeer = new WeakMap<Peer, number>();

  constructor(private readonly s: SessionService) {}

  /**
   * RoomManager's refusal hook. Synchronous and cheap: the work is queued on the wall and its
   * failures are logged (by error name only), never thrown back into the transport.
   */
  onRefused(room: Room, peer: Peer, refusals: Refusal[]): void {
    if (peer.role !== 'participant' || !peer.ownerId) return;
    const ownerId = peer.ownerId;
    const hold: HeldWrite[] = [];
    const toPrivate: PrivateNote[] = [];
    const now = Date.now();
    for (const r of refusals) {
      if (r.root !== 'notes' || !r.value) continue;
      if (r.reason === 'locked' && r.kind === 'create') {
        const note = noteFromRefusal(r, ownerId, now);
        if (note) hold.push({ mode: 'create', note, at: now });
      } else if (r.reason === 'locked' && r.kind === 'update') {
        const current = room.doc.getMap('notes').get(r.key);
        const fields = current instanceof Y.Map ? (current.toJSON() as Record<string, unknown>) : null;
        if (!fields || fields.ownerId !== ownerId) continue;
        const patch = patchFromRefusal(r, fields);
        if (patch) hold.push({ mode: 'patch', id: r.key, ownerId, patch, at: now });
      } else if (r.reason === 'private_writing' && r.kind === 'create') {
        const note = noteFromRefusal(r, ownerId, now);
        if (note) toPrivate.push(note);
      }
    }
    const id = room.id as BoardId;
    const fail = (what: string) => (err: unknown) => {
      if (err instanceof MaillageError) return; // a cap or a state change: nothing to log
      this.s.log?.error({ board: id, ...errorFields(err) }, what);
    };
    if (hold.length) this.s.serial(id, () => this.keep(id, ownerId, hold)).catch(fail('holding a refused write failed'));
    for (const note of toPrivate) {
      const adds = this.privateByPeer.get(peer) ?? 0;
      this.privateByPeer.set(peer, adds + 1);
      this.s.privates.add(id, note, { ownerId, addr: '', connectionAdds: adds }).catch(fail('keeping a refused note as private failed'));
    }
  }

  /** Stores held writes (caps per person and per wall), then tells the author and the hosts. */
  private async keep(id: BoardId, ownerId: string, items: HeldWrite[]): Promise<void> {
    await this.s.requireWall(id);
    const existing = new Map((await this.s.store.listSessionRecords(id, { kind: 'held', owner: ownerId })).map((r) => [r.key, r.value]));
    let mine = existing.size;
    let all = await this.s.store.countSessionRecords(id, { kind: 'held' });
    const put: HeldWrite[] = [];
    for (const raw of items) {
      // Emails go to the contact store, never into a held record (issue 13).
      const item: HeldWrite =
        raw.mode === 'create'
          ? { ...raw, note: await this.s.withoutEmail(id, raw.note, ownerId) }
          : { ...raw, patch: await this.s.withoutEmail(id, raw.patch as { email?: string }, ownerId) };
      const key = heldId(item);
      const prev = HeldWriteSchema.safeParse(existing.get(key));
      let next: HeldWrite = item;
      // A second edit of the same note while locked: one patch with the latest of each field.
      if (prev.success && prev.data.mode === 'patch' && item.mode === 'patch') next = { ...item, patch: { ...prev.data.patch, ...item.patch } };
      if (prev.success && prev.data.mode === 'create' && item.mode === 'patch') {
        next = { ...prev.data, note: { ...prev.data.note, ...(item.patch as Partial<PrivateNote>) } };
      }
      if (Buffer.byteLength(JSON.stringify(next)) > SESSION_LIMITS.noteBytes) continue;
      if (!prev.success) {
        if (mine >= SESSION_LIMITS.heldPerOwner || all >= SESSION_LIMITS.heldPerWall) continue;
        mine++;
        all++;
      }
      put.push(next);
    }
    if (!put.length) throw new MaillageError(ErrorCode.LimitReached, 'too many held writes');
    await this.s.store.writeSessionRecords(id, { put: put.map((h) => ({ kind: 'held', key: heldId(h), owner: ownerId, value: h })) });
    for (const h of put) this.s.push({ to: [hostsRoom(id), ownerRoom(id, ownerId)] }, 'held:note', h);
    this.s.push({ to: [ownerRoom(id, ownerId)], except: [hostsRoom(id)] }, 'held:notes', await this.own(id, ownerId));
    await this.s.publishState(id);
  }

  /** One person's held writes (sent on join and after each change). */
  async own(id: BoardId, ownerId: string): Promise<HeldWrite[]> {
    return this.read(await this.s.store.listSessionRecords(id, { kind: 'held', owner: ownerId }));
  }

  /** Every held write of the wall (hosts, on join). */
  async all(id: BoardId): Promise<HeldWrite[]> {
    return this.read(await this.s.store.listSessionRecords(id, { kind: 'held' }));
  }

  private read(records: { value: unknown }[]): HeldWrite[] {
    const out: HeldWrite[] = [];
    for (const r of records) {
      const h = HeldWriteSchema.safeParse(r.value);
      if (h.success) out.push(h.data);
    }
    return out.sort((a, b) => a.at - b.at);
  }

  /**
   * Posts the held writes into the wall (the wall was just unlocked). Runs inside the wall's
   * queue (SessionService.serial); the caller publishes the state afterwards. Held writes stay if
   * the wall was locked again meanwhile.
   * @returns the ids posted and dropped.
   */
  async release(id: BoardId): Promise<{ posted: string[]; dropped: string[] }> {
    const posted: string[] = [];
    const dropped: string[] = [];
    const held = await this.all(id);
    if (!held.length) return { posted, dropped };
    const settings = await this.s.settings(id);
    if (settings.locked) return { posted, dropped };
    // Private writing is on as the wall reopens: new notes become private notes, as they would
    // have been had the wall not been locked (within the private-note caps).
    const privately: PrivateNote[] = [];
    if (settings.privateWriting) {
      let all = await this.s.store.countSessionRecords(id, { kind: 'private' });
      const perOwner = new Map<string, number>();
      for (const h of held) {
        if (h.mode !== 'create') continue;
        const o = h.note.ownerId;
        const mine = perOwner.get(o) ?? (await this.s.store.countSessionRecords(id, { kind: 'private', owner: o }));
        if (mine >= SESSION_LIMITS.privateNotesPerOwner || all >= SESSION_LIMITS.privateNotesPerWall) continue;
        perOwner.set(o, mine + 1);
        all++;
        privately.push(h.note);
      }
    }
    const room = await this.s.rooms.get(id);
    if (!room) return { posted, dropped };
    try {
      const { notes } = roots(room.doc);
      const domains = listDomains(room.doc).map((d) => d.id);
      room.doc.transact(() => {
        for (const h of held) {
          const key = heldId(h);
          try {
            if (h.mode === 'create' && privately.includes(h.note)) {
              posted.push(key);
              continue;
            }
            if (h.mode === 'create') {
              const there = notes.get(key);
              if (there instanceof Y.Map) {
                // Already on the wall (posted again by its author's client): nothing to add.
                (there.get('ownerId') === h.note.ownerId ? posted : dropped).push(key);
                continue;
              }
              if (notes.size >= LIMITS.notesPerBoard) {
                dropped.push(key);
                continue;
              }
              const domainId = domains.includes(h.note.domainId) ? h.note.domainId : domains[0];
              if (!domainId) {
                dropped.push(key);
                continue;
              }
              addNote(room.doc, { ...h.note, domainId }, SERVER_ORIGIN);
              posted.push(key);
            } else {
              const m = notes.get(key);
              if (!(m instanceof Y.Map) || m.get('ownerId') !== h.ownerId) {
                dropped.push(key);
                continue;
              }
              updateNote(room.doc, key, h.patch, SERVER_ORIGIN);
              posted.push(key);
            }
          } catch {
            dropped.push(key); // e.g. a patch naming a domain that was removed meanwhile
          }
        }
      }, SERVER_ORIGIN);
      await this.s.store.writeSessionRecords(id, {
        remove: held.map((h) => ({ kind: 'held' as const, key: heldId(h) })),
        put: privately.map((n) => ({ kind: 'private' as const, key: n.id, owner: n.ownerId, value: n })),
      });
      for (const n of privately) this.s.push({ to: [hostsRoom(id), ownerRoom(id, n.ownerId)] }, 'private:note', n);
      const owners = new Set(held.map(heldOwner));
      const to = [hostsRoom(id), ...[...owners].map((o) => ownerRoom(id, o))];
      if (posted.length) this.s.push({ to }, 'held:released', { ids: posted, outcome: 'posted' });
      if (dropped.length) this.s.push({ to }, 'held:released', { ids: dropped, outcome: 'dropped' });
      for (const o of owners) {
        this.s.push({ to: [ownerRoom(id, o)], except: [hostsRoom(id)] }, 'held:notes', await this.own(id, o));
        if (privately.some((n) => n.ownerId === o)) {
          this.s.push({ to: [ownerRoom(id, o)], except: [hostsRoom(id)] }, 'private:notes', await this.s.privates.visible(id, 'participant', o));
        }
      }
      return { posted, dropped };
    } finally {
      this.s.rooms.release(room);
    }
  }
}
