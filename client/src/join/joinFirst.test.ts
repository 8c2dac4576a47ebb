import { afterEach, describe, expect, it } from 'vitest';
import { joinFirst } from './joinFirst.ts';

const ID = 'pKjPomAYm_ooLLvUt8eLCZ';
const at = (pathname: string, hash = '', search = '') => ({ pathname, hash, search });

function storing(profile: unknown): void {
  const items = new Map<string, string>([['maillage.profile', JSON.stringify(profile)]]);
  (globalThis as { localStorage?: Pick<Storage, 'getItem'> }).localStorage = { getItem: (k: string) => items.get(k) ?? null };
}

afterEach(() => {
  delete (globalThis as { localStorage?: unknown }).localStorage;
});

describe('which pages ask who the person is before the wall’s code (R185)', () => {
  it('a participant link on a device without a profile', () => {
    expect(joinFirst(at(`/b/${ID}`))).toBe(true);
    expect(joinFirst(at(`/b/${ID}/`))).toBe(true);
    storing({ author: '  ', org: '' });
    expect(joinFirst(at(`/b/${ID}`))).toBe(true); // a blank name is no profile
  });

  it('not a host or review link, the projection, another page, or a device that already answered', () => {
    expect(joinFirst(at(`/b/${ID}`, '#k=secret'))).toBe(false);
    expect(joinFirst(at(`/b/${ID}`, '#x=1&k=secret'))).toBe(false);
    expect(joinFirst(at(`/b/${ID}`, '', '?projection'))).toBe(false);
    expect(joinFirst(at('/'))).toBe(false);
    expect(joinFirst(at('/b/not-an-id'))).toBe(false);
    storing({ author: 'Ana', org: '' });
    expect(joinFirst(at(`/b/${ID}`))).toBe(false);
  });
});
