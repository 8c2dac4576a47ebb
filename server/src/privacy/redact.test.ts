import { describe, expect, it } from 'vitest';
import type { Contact, Note, WallExport } from '@maillage/shared';
import { directoryFromNotes, type ContactDirectory } from './directory.ts';
import { emailFor, redactWall } from './redact.ts';

const note = (id: string, ownerId: string, email: string, coauthors?: Note['coauthors']): Note => ({
  id,
  text: `text ${id}`,
  author: `author ${id}`,
  email,
  org: 'Org',
  domainId: 'd',
  x: 0,
  y: 0,
  color: '#fff59d',
  createdAt: 1,
  ownerId,
  ...(coauthors ? { coauthors } : {}),
});

const wallOf = (notes: Note[]): WallExport => ({
  format: 'maillage-wall',
  version: 1,
  title: 'T',
  template: 'relationship-mapping',
  createdAt: 0,
  domains: [{ id: 'd', title: { fr: 'D', en: 'D' }, order: 0, color: '#ffffff' }],
  notes,
  clusters: [],
  relations: [],
});

const emailsIn = (w: WallExport): string[] => w.notes.flatMap((n) => [n.email, ...(n.coauthors ?? []).map((c) => c.email)]).filter((e): e is string => !!e);

const wall = wallOf([
  note('a', 'owner-a', 'a@x.example', [
    { author: 'Co One', email: 'co1@x.example', org: 'O' },
    { author: 'Co Two', email: '', org: 'O' },
  ]),
  note('b', '', 'b@x.example'),
]);
const dir = directoryFromNotes(wall.notes);

describe('redactWall (server/src/privacy)', () => {
  it('R71 R74 today’s emails (on notes) count as shared with review: hosts see all, review only when allowed — co-authors included', () => {
    expect(emailsIn(redactWall(wall, { audience: 'host' }, { reviewShowsEmails: false }, dir)).sort()).toEqual(['a@x.example', 'b@x.example', 'co1@x.example']);
    expect(emailsIn(redactWall(wall, { audience: 'review' }, { reviewShowsEmails: true }, dir))).toHaveLength(3);
    expect(emailsIn(redactWall(wall, { audience: 'review' }, { reviewShowsEmails: false }, dir))).toEqual([]);
    expect(emailsIn(redactWall(wall, { audience: 'projection' }, { reviewShowsEmails: true }, dir))).toEqual([]);
    expect(emailsIn(redactWall(wall, { audience: 'log' }, { reviewShowsEmails: true }, dir))).toEqual([]);
    // Everything but emails is left alone.
    const r = redactWall(wall, { audience: 'review' }, { reviewShowsEmails: false }, dir);
    expect(r.notes.map((n) => ({ ...n, email: '', coauthors: n.coauthors?.map((c) => ({ ...c, email: '' })) }))).toEqual(r.notes);
    expect(r.notes[0]?.coauthors?.map((c) => c.author)).toEqual(['Co One', 'Co Two']);
  });

  it('R71 a participant sees their own email only (not co-authors’, not notes without an owner)', () => {
    expect(emailsIn(redactWall(wall, { audience: 'participant', ownerId: 'owner-a' }, { reviewShowsEmails: true }, dir))).toEqual(['a@x.example']);
    expect(emailsIn(redactWall(wall, { audience: 'participant', ownerId: '' }, { reviewShowsEmails: true }, dir))).toEqual([]);
    expect(emailsIn(redactWall(wall, { audience: 'participant' }, { reviewShowsEmails: true }, dir))).toEqual([]);
  });

  it('R71 the directory decides, not the email written in the content; an unknown person shows nothing', () => {
    const store = new Map<string, Contact>([['owner-a', { email: 'stored@x.example', share: 'participants' }]]);
    const byOwner: ContactDirectory = { get: (ref) => (ref.coauthor === null ? store.get(ref.ownerId) : undefined) };
    const asParticipant = redactWall(wall, { audience: 'participant', ownerId: 'someone-else' }, { reviewShowsEmails: false }, byOwner);
    expect(emailsIn(asParticipant)).toEqual(['stored@x.example']);
    expect(emailsIn(redactWall(wall, { audience: 'host' }, { reviewShowsEmails: false }, { get: () => undefined }))).toEqual([]);
    const hostsOnly: ContactDirectory = { get: () => ({ email: 'h@x.example', share: 'hosts' }) };
    expect(emailFor({ audience: 'review' }, { reviewShowsEmails: true }, hostsOnly, { noteId: 'a', ownerId: 'owner-a', coauthor: null })).toBe('');
    expect(emailFor({ audience: 'host' }, { reviewShowsEmails: false }, hostsOnly, { noteId: 'a', ownerId: 'owner-a', coauthor: 0 })).toBe('h@x.example');
  });
});
