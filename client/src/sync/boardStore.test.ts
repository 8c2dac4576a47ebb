import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { initBoard, roots } from '@maillage/shared';
import { BoardStoreView } from './boardStore.ts';

const tick = () => new Promise<void>((r) => queueMicrotask(r));

describe('BoardStoreView (R66)', () => {
  it('shows a stock y-websocket client’s note without ownerId/org (defaults, owned by no device) and skips what no reader can show', async () => {
    const doc = new Y.Doc();
    initBoard(doc, { title: 'T', template: 'relationship-mapping' });
    const store = new BoardStoreView(doc);
    const { notes } = roots(doc);
    doc.transact(() => {
      const m = new Y.Map<unknown>();
      // The documented fields only, as a stock client writes them.
      for (const [k, v] of Object.entries({ text: 'stock', author: 'S', email: 's@example.org', domainId: 'mentoring', x: 20, y: 100, color: '#fff59d', createdAt: 5 })) m.set(k, v);
      notes.set('stock1', m);
      (notes as unknown as Y.Map<unknown>).set('broken', new Y.Array());
    });
    await tick();
    const shown = store.getSnapshot().notes;
    expect(shown).toEqual([expect.objectContaining({ id: 'stock1', text: 'stock', author: 'S', ownerId: '', org: '', domainId: 'mentoring' })]);
    expect(store.getSnapshot().domains.length).toBeGreaterThan(0);
    expect(store.getSnapshot().meta?.title).toBe('T');
    store.destroy();
  });
});
