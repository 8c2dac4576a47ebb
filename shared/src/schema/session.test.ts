import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  overlaySettings,
  readSettings,
  recordsFromSettings,
  settingsFromRecords,
  SessionSettingsSchema,
  type SessionRecord,
  type SessionSettings,
} from './session.ts';

/** Printed so that a failing run can be replayed: FC_SEED=<seed> npx vitest run … */
const seed = Number(process.env.FC_SEED ?? Math.floor(Math.random() * 2 ** 31));
console.info(`session.test.ts fast-check seed ${seed}`);

const id = fc.string({ minLength: 1, maxLength: 12 });
const owner = fc.stringMatching(/^[A-Za-z0-9_-]{4,16}$/);

const settingsArb: fc.Arbitrary<SessionSettings> = fc
  .record({
    locked: fc.boolean(),
    privateWriting: fc.boolean(),
    timerEndsAt: fc.option(fc.nat(), { nil: null }),
    timerDurationMs: fc.nat(),
    follow: fc.boolean(),
    vote: fc.option(
      fc.record({
        id,
        open: fc.boolean(),
        dotsPerParticipant: fc.integer({ min: 1, max: 20 }),
        ballots: fc.dictionary(owner, fc.array(id, { maxLength: 20 }), { maxKeys: 5 }),
      }),
      { nil: null },
    ),
    reviewShowsEmails: fc.boolean(),
    privateNotes: fc.uniqueArray(
      fc.record({ id, ownerId: owner, text: fc.string({ maxLength: 40 }), domainId: id, createdAt: fc.nat() }),
      { selector: (n) => n.id, maxLength: 6 },
    ),
    suggestions: fc.constant(null),
    rejectedClusters: fc.uniqueArray(id, { maxLength: 5 }),
    glossary: fc.array(
      fc.record({ fr: fc.array(fc.stringMatching(/^[a-z]{1,8}$/), { maxLength: 3 }), en: fc.array(fc.stringMatching(/^[a-z]{1,8}$/), { maxLength: 3 }) }),
      { maxLength: 4 },
    ),
  })
  .map((s) => SessionSettingsSchema.parse(s));

/** Records as a store returns them: ordered by kind, then key (binary order). */
const stored = (records: SessionRecord[]): SessionRecord[] =>
  [...records].sort((a, b) => (a.kind === b.kind ? (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) : a.kind < b.kind ? -1 : 1));

describe('session records (R52)', () => {
  it('R52 settings → records → settings is the identity (private notes ordered by creation, rejected ids as a set)', () => {
    fc.assert(
      fc.property(settingsArb, (s) => {
        const back = settingsFromRecords({}, stored(recordsFromSettings(s)));
        const sorted = [...s.privateNotes].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
        const rejected = [...s.rejectedClusters].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        expect(back).toEqual({ ...s, privateNotes: sorted, rejectedClusters: rejected });
      }),
      { seed, numRuns: 300 },
    );
  });

  it('R52 private notes written in the same millisecond come back in code-unit order of their ids, the same on every server and locale (localeCompare put "a…" before "B…")', () => {
    const base = SessionSettingsSchema.parse({});
    const note = (nid: string) => ({ id: nid, ownerId: 'owner-1', createdAt: 1_700_000_000_000, text: nid, domainId: 'd' });
    const s = { ...base, privateNotes: [note('a1'), note('B1'), note('_x'), note('Z9')] };
    const back = settingsFromRecords({}, stored(recordsFromSettings(s)));
    expect(back.privateNotes.map((n) => n.id)).toEqual(['B1', 'Z9', '_x', 'a1']);
  });

  it('R52 every record has one (kind, key): a change of one field touches one record', () => {
    fc.assert(
      fc.property(settingsArb, (s) => {
        const keys = recordsFromSettings(s).map((r) => `${r.kind}/${r.key}`);
        expect(new Set(keys).size).toBe(keys.length);
        const locked = recordsFromSettings({ ...s, locked: !s.locked });
        const diff = locked.filter((r, i) => JSON.stringify(r) !== JSON.stringify(recordsFromSettings(s)[i]));
        expect(diff.map((r) => `${r.kind}/${r.key}`)).toEqual(['setting/locked']);
      }),
      { seed, numRuns: 100 },
    );
  });

  it('R52 records win over the old blob; a record that does not parse leaves the blob\'s value (a bad row never unlocks)', () => {
    const blob = { locked: true, follow: true, privateNotes: [] };
    expect(settingsFromRecords(blob, [{ kind: 'setting', key: 'follow', owner: null, value: false }])).toMatchObject({ locked: true, follow: false });
    expect(settingsFromRecords(blob, [{ kind: 'setting', key: 'locked', owner: null, value: 'no' }]).locked).toBe(true);
    expect(settingsFromRecords(blob, [{ kind: 'setting', key: 'timer', owner: null, value: { endsAt: 'x' } }]).timerEndsAt).toBeNull();
    expect(settingsFromRecords({}, [{ kind: 'setting', key: 'vote', owner: null, value: null }]).vote).toBeNull();
    expect(settingsFromRecords({}, [{ kind: 'private', key: 'p', owner: 'o', value: { id: 'p' } }]).privateNotes).toEqual([]);
  });

  it('R52 overlaySettings: unchanged blob without records; only the fields records exist for are replaced', () => {
    const blob = { locked: false, custom: { a: 1 } };
    expect(overlaySettings(blob, [])).toBe(blob);
    const out = overlaySettings(blob, [
      { kind: 'setting', key: 'locked', owner: null, value: true },
      { kind: 'setting', key: 'timer', owner: null, value: { endsAt: 5, durationMs: 10 } },
      { kind: 'private', key: 'p', owner: 'o', value: {} },
    ]);
    expect(out).toEqual({ locked: true, custom: { a: 1 }, timerEndsAt: 5, timerDurationMs: 10 });
    expect(readSettings(out).locked).toBe(true);
  });
});
