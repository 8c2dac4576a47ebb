/**
 * Arranges the notes of one domain (or all) in a neat single-file grid, in their current reading
 * order (top to bottom). One transaction, made with the local origin, so the host can undo it.
 */
import type * as Y from 'yjs';
import { LAYOUT, roots, type Note } from '@maillage/shared';
import { LOCAL_ORIGIN } from '../sync/connection.ts';
import { noteHeight } from './geometry.ts';

export function tidy(doc: Y.Doc, notes: Note[], domainId?: string): void {
  const byDomain = new Map<string, Note[]>();
  for (const n of notes) {
    if (domainId && n.domainId !== domainId) continue;
    const list = byDomain.get(n.domainId) ?? [];
    list.push(n);
    byDomain.set(n.domainId, list);
  }
  const { notes: map } = roots(doc);
  doc.transact(() => {
    for (const list of byDomain.values()) {
      list.sort((a, b) => a.y - b.y || a.x - b.x);
      let y = LAYOUT.headerHeight + LAYOUT.columnPadding;
      for (const n of list) {
        const m = map.get(n.id);
        if (!m) continue;
        if (m.get('x') !== LAYOUT.columnPadding) m.set('x', LAYOUT.columnPadding);
        if (m.get('y') !== y) m.set('y', y);
        y += noteHeight(n.text) + LAYOUT.noteGap;
      }
    }
  }, LOCAL_ORIGIN);
}
