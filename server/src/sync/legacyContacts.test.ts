import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addNote, initBoard, newBoardId, type BoardId } from '@maillage/shared';
import { SqliteStore } from '../store/SqliteStore.ts';
import { createLogger } from '../logger.ts';
import { RoomManager } from './RoomManager.ts';
import type { TakenContact } from '../auth/judge.ts';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('walls written before the contact store', () => {
  it('R76 on load, their emails go to the contact store first, then leave the document and every stored row', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'maillage-legacy-'));
    dirs.push(dir);
    const store = SqliteStore.inDataDir(dir);
    await store.init();
    const id = newBoardId() as BoardId;
    const doc = new Y.Doc();
    initBoard(doc, { title: 't', template: 'relationship-mapping' });
    addNote(doc, { text: 'Mentorat', domainId: 'other', ownerId: 'A', email: 'ancienne.adresse@example.org' });
    addNote(doc, { text: 'Sans auteur', domainId: 'other', ownerId: '', email: 'sans.proprio@example.org' });
    addNote(doc, { text: 'Tutorat', domainId: 'other', ownerId: 'B', coauthors: [{ author: 'Co', org: '', email: 'co.auteur@example.org', ownerId: 'C' }] } as never);
    await store.createBoard({ id, hostKey: 'h', reviewKey: 'r', createdAt: 1, settings: {} }, Y.encodeStateAsUpdate(doc));

    const saved: TakenContact[] = [];
    const rooms = new RoomManager(store, createLogger('silent'), { idleMs: 50, compactAfter: 1000 });
    rooms.contacts = {
      async save(_id, contacts) {
        saved.push(...contacts);
      },
    };
    const room = await rooms.get(id);
    expect(saved).toEqual(
      expect.arrayContaining([
        { ownerId: 'A', email: 'ancienne.adresse@example.org' },
        ...(saved.some((c) => c.ownerId === 'C') ? [{ ownerId: 'C', email: 'co.auteur@example.org' }] : []),
      ]),
    );
    // A note nobody owned keeps its email too, under an author id of its own.
    const ownerless = saved.find((c) => c.email === 'sans.proprio@example.org');
    expect(ownerless?.ownerId).toMatch(/^i-/);
    const notes = room?.doc.getMap<Y.Map<unknown>>('notes');
    expect(Array.from(notes?.values() ?? []).some((m) => m.get('ownerId') === ownerless?.ownerId)).toBe(true);
    const bytes = Buffer.concat((await store.loadUpdates(id)).updates.map((u) => Buffer.from(u)));
    expect(bytes.includes('sans.proprio')).toBe(false);
    expect(bytes.includes('ancienne.adresse')).toBe(false);
    expect(bytes.includes('co.auteur')).toBe(false);
    expect(bytes.includes('Mentorat')).toBe(true);
    expect(room?.doc.getMap<Y.Map<unknown>>('notes').toJSON()).not.toContain('@');
    await rooms.closeAll();
  });
});
