import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { addRelation, listRelations } from './clusters.ts';

describe('listRelations order', () => {
  it('two devices that drew connectors in the same millisecond list them alike (ties by id)', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    const now = vi.spyOn(Date, 'now').mockReturnValue(1_700_000_000_000);
    try {
      addRelation(a, { from: 'n1', to: 'n2', label: 'from A' });
      addRelation(b, { from: 'n3', to: 'n4', label: 'from B' });
    } finally {
      now.mockRestore();
    }
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect(listRelations(a).map((r) => r.label)).toEqual(listRelations(b).map((r) => r.label));
    expect(listRelations(a)).toHaveLength(2);
  });
});
