import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { initBoard, newBoardId, newKey, type BoardId, type Note } from '@maillage/shared';
import { SqliteStore } from '../store/SqliteStore.ts';
import { CONTACTS_PER_WALL, ContactService } from './ContactService.ts';

let store: SqliteStore;
afterEach(async () => {
  await store?.close();
});

async function wall(): Promise<{ svc: ContactService; id: BoardId; changed: BoardId[] }> {
  store = new SqliteStore(':memory:');
  await store.init();
  const id = newBoardId();
  const doc = new Y.Doc();
  initBoard(doc, { title: 'T', template: 'relationship-mapping' });
  await store.createBoard({ id, hostKey: newKey(), reviewKey: newKey(), createdAt: 1, settings: {} }, Y.encodeStateAsUpdate(doc));
  const svc = new ContactService(store);
  const changed: BoardId[] = [];
  svc.onChanged = (b) => changed.push(b);
  return { svc, id, changed };
}

const note = (id: string, ownerId: string, coauthors?: Note['coauthors']): Note => ({
  id,
  text: 't',
  author: 'a',
  org: '',
  domainId: 'd',
  x: 0,
  y: 0,
  color: '#fff59d',
  createdAt: 1,
  ownerId,
  ...(coauthors ? { coauthors } : {}),
});

describe('ContactService (server/src/contacts)', () => {
  it('R84 set validates the email and the choice, needs an author id, and tells the session layer', async () => {
    const { svc, id, changed } = await wall();
    await expect(svc.set(id, 'o1', { email: 'nope', share: 'review' })).rejects.toMatchObject({ code: 'bad_request' });
    await expect(svc.set(id, 'o1', { email: 'a@b.example', share: 'world' })).rejects.toMatchObject({ code: 'bad_request' });
    await expect(svc.set(id, 'o1', { email: 'a@b.example', share: 'review', extra: 1 })).rejects.toMatchObject({ code: 'bad_request' });
    await expect(svc.set(id, '', { email: 'a@b.example', share: 'review' })).rejects.toMatchObject({ code: 'bad_request' });
    const err = await svc.set(id, 'o1', { email: 'secret value', share: 'review' }).catch((e: Error) => e.message);
    expect(err).not.toContain('secret value');
    expect(changed).toEqual([]);
    expect(await svc.set(id, 'o1', { email: 'a@b.example', share: 'hosts' })).toEqual({ email: 'a@b.example', share: 'hosts' });
    expect(changed).toEqual([id]);
  });

  it('R84 emails from the document fill the store with the default choice, never change a choice, drop invalid ones', async () => {
    const { svc, id, changed } = await wall();
    await svc.set(id, 'chosen', { email: 'old@x.example', share: 'hosts' });
    changed.length = 0;
    await svc.saveFromDocument(id, [
      { ownerId: 'chosen', email: 'new@x.example' },
      { ownerId: 'fresh', email: 'fresh@x.example' },
      { ownerId: 'bad', email: 'not an email' },
      { ownerId: '', email: 'ownerless@x.example' },
    ]);
    expect((await svc.list(id)).map((c) => [c.ownerId, c.email, c.share])).toEqual([
      ['chosen', 'new@x.example', 'hosts'],
      ['fresh', 'fresh@x.example', 'review'],
    ]);
    expect(changed).toEqual([id]);
    // The same again changes nothing and tells nobody.
    await svc.saveFromDocument(id, [{ ownerId: 'fresh', email: 'fresh@x.example' }]);
    expect(changed).toEqual([id]);
  });

  it('R85 the directory reads authors and co-authors by author id; what each viewer may see follows the privacy module', async () => {
    const { svc, id } = await wall();
    await svc.set(id, 'a', { email: 'a@x.example', share: 'participants' });
    await svc.set(id, 'co', { email: 'co@x.example', share: 'hosts' });
    await svc.set(id, 'r', { email: 'r@x.example', share: 'review' });
    const notes = [note('n1', 'a', [{ author: 'Co', org: '', ownerId: 'co' }, { author: 'Nobody', org: '' }]), note('n2', '')];
    const dir = await svc.directory(id, notes);
    expect(dir.get({ noteId: 'n1', ownerId: 'a', coauthor: null })?.email).toBe('a@x.example');
    expect(dir.get({ noteId: 'n1', ownerId: 'a', coauthor: 0 })?.email).toBe('co@x.example');
    expect(dir.get({ noteId: 'n1', ownerId: 'a', coauthor: 1 })).toBeUndefined();
    expect(dir.get({ noteId: 'n2', ownerId: '', coauthor: null })).toBeUndefined();
    expect(await svc.visibleTo(id, { audience: 'host' }, { reviewShowsEmails: false })).toEqual({ a: 'a@x.example', co: 'co@x.example', r: 'r@x.example' });
    expect(await svc.visibleTo(id, { audience: 'review' }, { reviewShowsEmails: false })).toEqual({});
    expect(await svc.visibleTo(id, { audience: 'review' }, { reviewShowsEmails: true })).toEqual({ a: 'a@x.example', r: 'r@x.example' });
    expect(await svc.visibleTo(id, { audience: 'participant', ownerId: 'co' }, { reviewShowsEmails: true })).toEqual({ a: 'a@x.example', co: 'co@x.example' });
    expect(await svc.visibleTo(id, { audience: 'projection' }, { reviewShowsEmails: true })).toEqual({ a: 'a@x.example' });
    expect(await svc.visibleTo(id, { audience: 'log' }, { reviewShowsEmails: true })).toEqual({});
    expect(await svc.erase(id, 'a')).toBe(true);
    expect(await svc.eraseAll(id)).toBe(2);
  });

  it('R84 a wall keeps at most CONTACTS_PER_WALL people: a new one is refused (limit_reached), known people may still change theirs', async () => {
    const { svc, id } = await wall();
    for (let i = 0; i < CONTACTS_PER_WALL; i++) await store.upsertContact(id, { ownerId: `o${i}`, email: '', share: 'review' });
    await expect(svc.set(id, 'newcomer', { email: 'n@x.example', share: 'review' })).rejects.toMatchObject({ code: 'limit_reached' });
    await expect(svc.set(id, 'o1', { email: 'o1@x.example', share: 'hosts' })).resolves.toEqual({ email: 'o1@x.example', share: 'hosts' });
    await svc.saveFromDocument(id, [{ ownerId: 'stock', email: 's@x.example' }]);
    expect(await svc.get(id, 'stock')).toBeNull();
  });
});
