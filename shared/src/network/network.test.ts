import { describe, expect, it } from 'vitest';
import type { Cluster, Note, Relation } from '../index.ts';
import { computeNetwork, layoutNetwork, STRONG_SUGGESTION_SCORE } from './index.ts';

let t = 0;
const note = (id: string, org: string, domainId = 'd1', extra: Partial<Note> = {}): Note => ({
  id, text: `activity ${id}`, author: `person ${id}`, email: '', org, domainId, x: 0, y: 0, color: '#fff59d', createdAt: ++t, ownerId: '', ...extra,
});
const cluster = (id: string, noteIds: string[]): Cluster => ({ id, label: id, noteIds, terms: [], score: 0.8, createdAt: 1 });
const relation = (id: string, from: string, to: string): Relation => ({ id, from, to, label: '', ownerId: '', createdAt: 1 });

const notes = [
  note('a1', 'CJE Estrie'),
  note('a2', 'cje estrie', 'd2'),
  note('b1', 'YMCA'),
  note('c1', 'Cégep de Sherbrooke', 'd2'),
  note('d1', '', 'd1', { author: 'Léa Solo' }),
  note('e1', 'Ville', 'd2', { coauthors: [{ author: 'Max', org: 'YMCA' }] }),
];

describe('computeNetwork (shared/src/network)', () => {
  it('R140 one node per organization grouped across spellings, label as written, notes counted (co-authors and lone authors too)', () => {
    const net = computeNetwork({ notes, clusters: [], relations: [] });
    expect(net.nodes).toEqual([
      { id: 'cegep de sherbrooke', label: 'Cégep de Sherbrooke', notes: 1 },
      { id: 'cje estrie', label: 'CJE Estrie', notes: 2 },
      { id: 'lea solo', label: 'Léa Solo', notes: 1 },
      { id: 'ville', label: 'Ville', notes: 1 },
      { id: 'ymca', label: 'YMCA', notes: 2 },
    ]);
    // A co-authored note links its organizations to nothing by itself: edges come from groups,
    // connectors and suggestions only.
    expect(net.edges).toEqual([]);
  });

  it('R141 an edge per pair sharing an accepted group or joined by a connector, with kinds, weight and the notes behind it', () => {
    const net = computeNetwork({
      notes,
      clusters: [cluster('g1', ['a1', 'b1', 'c1']), cluster('g2', ['a2', 'b1'])],
      relations: [relation('r1', 'a1', 'b1'), relation('r2', 'd1', 'a2'), relation('r3', 'a1', 'a2')],
    });
    const edge = (s: string, tg: string) => net.edges.find((e) => e.source === s && e.target === tg);
    expect(edge('cje estrie', 'ymca')).toEqual({ source: 'cje estrie', target: 'ymca', weight: 3, kinds: ['group', 'connector'], notes: ['a1', 'a2', 'b1'] });
    expect(edge('cegep de sherbrooke', 'cje estrie')).toEqual({ source: 'cegep de sherbrooke', target: 'cje estrie', weight: 1, kinds: ['group'], notes: ['a1', 'c1'] });
    expect(edge('cegep de sherbrooke', 'ymca')?.kinds).toEqual(['group']);
    expect(edge('cje estrie', 'lea solo')).toEqual({ source: 'cje estrie', target: 'lea solo', weight: 1, kinds: ['connector'], notes: ['a2', 'd1'] });
    // A connector inside one organization is no edge; nothing else is linked.
    expect(net.edges).toHaveLength(4);
  });

  it('R142 strong suggestions that were not accepted add lighter "similar" edges; weak or accepted ones do not', () => {
    const accepted = cluster('g1', ['a1', 'b1']);
    const net = computeNetwork({
      notes,
      clusters: [accepted],
      relations: [],
      suggestions: [
        { id: 'g1', noteIds: ['a1', 'b1'], score: 0.9 },
        { id: 's-same-members', noteIds: ['b1', 'a1'], score: 0.9 },
        { id: 's-strong', noteIds: ['c1', 'e1'], score: STRONG_SUGGESTION_SCORE },
        { id: 's-weak', noteIds: ['d1', 'e1'], score: STRONG_SUGGESTION_SCORE - 0.01 },
      ],
    });
    expect(net.edges.map((e) => [e.source, e.target, e.kinds.join('+'), e.weight])).toEqual([
      ['cegep de sherbrooke', 'ville', 'similar', 1],
      ['cegep de sherbrooke', 'ymca', 'similar', 1],
      ['cje estrie', 'ymca', 'group', 1],
      // e1 is co-written by Ville and YMCA: the suggestion links all three organizations.
      ['ville', 'ymca', 'similar', 1],
    ]);
  });

  it('R143 filters by domain and by group recompute nodes, counts and edges', () => {
    const input = { notes, clusters: [cluster('g1', ['a1', 'b1', 'c1'])], relations: [relation('r2', 'd1', 'a2')] };
    const d2 = computeNetwork(input, { domainId: 'd2' });
    expect(d2.nodes.map((n) => [n.id, n.notes])).toEqual([['cegep de sherbrooke', 1], ['cje estrie', 1], ['ville', 1], ['ymca', 1]]);
    expect(d2.edges).toEqual([]);
    const g1 = computeNetwork(input, { clusterId: 'g1' });
    expect(g1.nodes.map((n) => n.id)).toEqual(['cegep de sherbrooke', 'cje estrie', 'ymca']);
    expect(g1.edges).toHaveLength(3);
  });
});

describe('layoutNetwork (ForceAtlas2)', () => {
  it('R144 places every node in the unit box, deterministically, with no two circles overlapping', async () => {
    const many: Note[] = [];
    const clusters: Cluster[] = [];
    for (let i = 0; i < 60; i++) many.push(note(`n${i}`, `Organisme ${i}`, 'd1'));
    for (let g = 0; g < 12; g++) clusters.push(cluster(`g${g}`, [0, 1, 2, 3, 4].map((k) => `n${(g * 5 + k * 7) % 60}`)));
    const net = computeNetwork({ notes: many, clusters, relations: [] });
    const a = await layoutNetwork(net, 16 / 9);
    const b = await layoutNetwork(net, 16 / 9);
    expect([...a.nodes.values()]).toEqual([...b.nodes.values()]);
    expect(a.nodes.size).toBe(60);
    const ps = [...a.nodes.values()];
    for (const p of ps) {
      expect(p.x).toBeGreaterThanOrEqual(0);
      expect(p.x).toBeLessThanOrEqual(1);
      expect(p.y).toBeGreaterThanOrEqual(0);
      expect(p.y).toBeLessThanOrEqual(1);
    }
    let overlaps = 0;
    for (let i = 0; i < ps.length; i++)
      for (let j = i + 1; j < ps.length; j++) {
        const p = ps[i]!;
        const q = ps[j]!;
        if (Math.hypot((p.x - q.x) * (16 / 9), p.y - q.y) < p.r + q.r) overlaps++;
      }
    expect(overlaps).toBe(0);
  });
});
