import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LIMITS } from '@maillage/shared';
import { DraftStore } from './drafts.ts';

/** A Map-backed localStorage and an event target standing in for `window` (unit tests run in Node). */
function fakeBrowser() {
  const data = new Map<string, string>();
  const g = globalThis as unknown as { localStorage: unknown; window: unknown };
  g.localStorage = {
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
    removeItem: (k: string) => void data.delete(k),
  };
  g.window = new EventTarget();
  return data;
}

let data: Map<string, string>;
beforeEach(() => {
  data = fakeBrowser();
});
afterEach(() => {
  const g = globalThis as unknown as { localStorage?: unknown; window?: unknown };
  delete g.localStorage;
  delete g.window;
});

describe('DraftStore (R64)', () => {
  it('keeps drafts per wall across instances (a reload), drops empty ones, caps the text', () => {
    const a = new DraftStore('wall-a');
    a.put({ id: 'd1', text: 'aide aux devoirs', domainId: 'mentoring', state: 'typing' });
    a.put({ id: 'd2', text: 'x'.repeat(LIMITS.noteText + 50), domainId: 'other', state: 'queued', reason: 'locked' });
    a.put({ id: 'd3', text: '   ', domainId: 'other', state: 'typing' });
    a.destroy();

    const again = new DraftStore('wall-a');
    expect(again.getSnapshot().map((d) => [d.id, d.state])).toEqual([
      ['d1', 'typing'],
      ['d2', 'queued'],
    ]);
    expect(again.get('d2')?.text.length).toBe(LIMITS.noteText);
    expect(new DraftStore('wall-b').getSnapshot()).toEqual([]);

    // Emptying a draft removes it; removing the last one leaves no key behind.
    again.put({ id: 'd1', text: '', domainId: 'mentoring', state: 'typing' });
    again.remove('d2');
    expect(again.getSnapshot()).toEqual([]);
    expect(data.has('maillage.drafts.wall-a')).toBe(false);
  });

  it('patch changes only an existing draft; snapshots keep their identity until something changes; open drafts are tracked', () => {
    const s = new DraftStore('w');
    let calls = 0;
    s.subscribe(() => calls++);
    s.patch('missing', { text: 'nope' });
    expect(s.getSnapshot()).toEqual([]);
    s.put({ id: 'd', text: 'a', domainId: 'x', state: 'typing' });
    const snap = s.getSnapshot();
    expect(s.getSnapshot()).toBe(snap);
    s.patch('d', { domainId: 'y', state: 'queued', reason: 'locked' });
    expect(s.get('d')).toMatchObject({ text: 'a', domainId: 'y', state: 'queued', reason: 'locked' });
    expect(s.getSnapshot()).not.toBe(snap);
    s.attach('d');
    expect(s.getOpen().has('d')).toBe(true);
    s.detach('d');
    expect(s.getOpen().has('d')).toBe(false);
    expect(calls).toBe(4);
  });

  it('ignores unreadable stored data', () => {
    data.set('maillage.drafts.w', '{not json');
    expect(new DraftStore('w').getSnapshot()).toEqual([]);
    data.set('maillage.drafts.w', JSON.stringify([{ id: 'ok', text: 't', domainId: 'd', state: 'typing', updatedAt: 1 }, { id: 3 }, null]));
    expect(new DraftStore('w').getSnapshot().map((d) => d.id)).toEqual(['ok']);
  });
});
