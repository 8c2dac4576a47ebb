/**
 * Deterministic, realistic wall content for benchmarks: notes with a sentence or two of text,
 * an author, an organisation and an email, spread over the template's seven domains and stacked
 * in their columns the way the wall places them.
 */
import * as Y from 'yjs';
import { DEFAULT_TEMPLATE, LAYOUT, NOTE_COLORS, addNote, initBoard, listDomains, type NoteInput } from '@maillage/shared';
import { openClient, within } from './yclient.ts';

/** mulberry32: small, fast, good enough for test data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'mentorat jeunes ateliers emploi stage diplôme école communauté partenaires formation soutien ' +
  'orientation réseau bénévoles financement quartier accompagnement parents entreprises programme ' +
  'tutorat inscription services transition collège université accueil projet suivi rencontre ' +
  'mentoring youth workshops employment internship graduation school community partners training ' +
  'support guidance network volunteers funding neighbourhood coaching families employers program'
).split(' ');
const NAMES = ['Ana', 'Li', 'Marc', 'Fatou', 'Jean-Philippe', 'Sofía', 'Noor', 'Émilie', 'Kwame', 'Hugo', 'Ines', 'Tomás'];
const ORGS = ['CJE Montréal', 'Centre communautaire', 'Commission scolaire', 'YMCA', 'Carrefour jeunesse', 'Ville', ''];

export function noteText(r: () => number): string {
  const words = 6 + Math.floor(r() * 28); // 6–33 words: one line to four or five
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(WORDS[Math.floor(r() * WORDS.length)] as string);
  const s = out.join(' ');
  return s.charAt(0).toUpperCase() + s.slice(1) + '.';
}

/** The n-th note of a generated wall: column n mod 7, stacked at a fixed pitch. */
export function benchNote(n: number, domainIds: string[], r: () => number, ownerId = ''): NoteInput {
  const author = NAMES[Math.floor(r() * NAMES.length)] as string;
  const perColumn = Math.floor(n / domainIds.length);
  return {
    text: noteText(r),
    domainId: domainIds[n % domainIds.length] as string,
    x: LAYOUT.columnPadding,
    y: LAYOUT.headerHeight + LAYOUT.columnPadding + perColumn * (LAYOUT.noteMinHeight + 60),
    author,
    email: `${author.toLowerCase().replace(/[^a-z]/g, '')}@example.org`,
    org: ORGS[Math.floor(r() * ORGS.length)] as string,
    color: NOTE_COLORS[n % NOTE_COLORS.length],
    ownerId,
    createdAt: 1_700_000_000_000 + n,
  };
}

/** A document holding the template and `count` generated notes (for store and load tests). */
export function generatedDoc(count: number, seed = 1): Y.Doc {
  const doc = new Y.Doc();
  initBoard(doc, { title: 'Bench', template: DEFAULT_TEMPLATE, now: 1_700_000_000_000 });
  const ids = listDomains(doc).map((d) => d.id);
  const r = rng(seed);
  for (let i = 0; i < count; i++) addNote(doc, benchNote(i, ids, r));
  return doc;
}

/**
 * Adds `count` notes to a live wall through a real y-websocket client, `perTransaction` at a
 * time (one update per transaction, each well under the server's frame limit), and waits until
 * the server has them all.
 */
export async function seedWall(wsBase: string, boardId: string, hostKey: string, count: number, opts: { perTransaction?: number; seed?: number } = {}): Promise<void> {
  const c = openClient(wsBase, boardId, { params: { k: hostKey } });
  try {
    await within(c.synced, 20_000, 'seeding client sync');
    const ids = listDomains(c.doc).map((d) => d.id);
    if (!ids.length) throw new Error('wall has no domains');
    const r = rng(opts.seed ?? 1);
    const per = opts.perTransaction ?? 100;
    for (let i = 0; i < count; i += per) {
      c.doc.transact(() => {
        for (let j = i; j < Math.min(count, i + per); j++) addNote(c.doc, benchNote(j, ids, r));
      });
      // Let the socket drain between batches so the server is not handed megabytes at once.
      await new Promise((res) => setTimeout(res, 5));
    }
    // A second client that syncs afterwards sees everything the server has.
    const check = openClient(wsBase, boardId, { params: { k: hostKey } });
    try {
      const deadline = Date.now() + 30_000;
      for (;;) {
        await within(check.synced, 20_000, 'seed check sync');
        const have = check.doc.getMap('notes').size;
        if (have >= count) break;
        if (Date.now() > deadline) throw new Error(`seeded ${have} of ${count} notes`);
        await new Promise((res) => setTimeout(res, 200));
      }
    } finally {
      check.destroy();
    }
  } finally {
    c.destroy();
  }
}

/** The template wall as one update: what the floor's clients start from (the floor keeps no state). */
export function templateUpdate(): Uint8Array {
  const doc = new Y.Doc();
  initBoard(doc, { title: 'Bench', template: DEFAULT_TEMPLATE, now: 1_700_000_000_000 });
  return Y.encodeStateAsUpdate(doc);
}
