import { describe, expect, it } from 'vitest';
import { clusterNotes } from './clusterNotes.ts';
import { ClusterInputError, MAX_NOTES, MAX_TEXT_LENGTH } from './validate.ts';

const bad = (notes: unknown, opts?: unknown): unknown => () => clusterNotes(notes as never, opts as never);

describe('input validation', () => {
  it('rejects malformed notes with the offending index', () => {
    expect(bad([{ id: 'a', text: 'ok' }, { id: '', text: 'x' }])).toThrow(/note 1: id/);
    expect(bad([{ id: 'a', text: 42 }])).toThrow(ClusterInputError);
    expect(bad([{ text: 'x' }])).toThrow(ClusterInputError);
    expect(bad('notes')).toThrow(ClusterInputError);
    expect(bad([null])).toThrow(ClusterInputError);
  });

  it('rejects a huge text and too many notes', () => {
    expect(bad([{ id: 'a', text: 'x'.repeat(MAX_TEXT_LENGTH + 1) }])).toThrow(/longer than/);
    expect(() => clusterNotes([{ id: 'a', text: 'mot '.repeat(MAX_TEXT_LENGTH / 4) }])).not.toThrow();
    expect(bad(Array.from({ length: MAX_NOTES + 1 }, (_, i) => ({ id: String(i), text: '' })))).toThrow(/at most/);
  });

  it('rejects repeated ids', () => {
    expect(bad([{ id: 'a', text: 'x' }, { id: 'a', text: 'y' }])).toThrow(/duplicate id "a"/);
  });

  it('accepts empty text and leaves such notes unclustered', () => {
    expect(clusterNotes([{ id: 'a', text: '' }, { id: 'b', text: '' }]).unclustered).toEqual(['a', 'b']);
  });

  it('rejects bad options', () => {
    expect(bad([], { threshold: 2 })).toThrow(ClusterInputError);
    expect(bad([], { duplicateThreshold: -1 })).toThrow(ClusterInputError);
    expect(bad([], { glossary: [{ fr: 'mentorat', en: [] }] })).toThrow(ClusterInputError);
  });

  it('reports errors the HTTP layer can render as 400', () => {
    try {
      clusterNotes([{ id: '', text: '' }]);
    } catch (e) {
      expect((e as ClusterInputError).status).toBe(400);
    }
  });
});
