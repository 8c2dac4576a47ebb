/** The projection's shared spotlight over a real session server (docs/spec.md R192). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, createBoard, type TestServer } from '../../../test/helpers/server.ts';
import { joinSession, type SessionClient } from '../../../test/helpers/session.ts';
import type { Spotlight } from '@maillage/shared';

let srv: TestServer;
const open: SessionClient[] = [];
beforeAll(async () => {
  srv = await startServer();
});
afterAll(async () => {
  for (const s of open) s.disconnect();
  await srv?.close();
});

type Ack = { ok: boolean; spotlight?: Spotlight | null; error?: { code: string } };
const send = (s: SessionClient, ev: string, req: unknown) =>
  new Promise<Ack>((resolve) => (s.emit as unknown as (e: string, r: unknown, a: (x: Ack) => void) => void)(ev, req, resolve));
const join = async (boardId: string, key?: string) => {
  const s = await joinSession(srv.http, boardId, key ? { key } : {});
  open.push(s);
  return s;
};
const SPOT: Spotlight = { mode: 'domains', overview: false, section: 'd1', note: 'n7', rank: null, at: 3 };

describe('spotlight (R192)', () => {
  it('R192: a host sets it, the wall\'s other sockets receive it, a late joiner gets it; other walls do not', async () => {
    const b = await createBoard(srv.http, { title: 'Spot' });
    const other = await createBoard(srv.http, { title: 'Autre' });
    const laptop = await join(b.id, b.hostKey);
    const projector = await join(b.id, b.hostKey);
    const elsewhere = await join(other.id, other.hostKey);
    expect((await send(projector, 'spotlight:get', {})).spotlight).toBeNull();
    const got: Spotlight[] = [];
    const leaked: Spotlight[] = [];
    const echoed: Spotlight[] = [];
    projector.on('spotlight:state', (s) => got.push(s));
    elsewhere.on('spotlight:state', (s) => leaked.push(s));
    laptop.on('spotlight:state', (s) => echoed.push(s));
    expect((await send(laptop, 'spotlight:set', SPOT)).ok).toBe(true);
    await expect.poll(() => got.length).toBe(1);
    expect(got[0]).toEqual(SPOT);
    const late = await join(b.id);
    expect((await send(late, 'spotlight:get', {})).spotlight).toEqual(SPOT);
    const review = await join(b.id, b.reviewKey);
    expect((await send(review, 'spotlight:get', {})).spotlight).toEqual(SPOT);
    await new Promise((r) => setTimeout(r, 200));
    expect(leaked).toEqual([]);
    expect(echoed).toEqual([]); // the sender already shows it
    expect((await send(elsewhere, 'spotlight:get', {})).spotlight).toBeNull();
  });

  it('R192: participants and review links may not set it; malformed spotlights are refused', async () => {
    const b = await createBoard(srv.http, { title: 'Refus' });
    const participant = await join(b.id);
    const review = await join(b.id, b.reviewKey);
    const host = await join(b.id, b.hostKey);
    expect((await send(participant, 'spotlight:set', SPOT)).error?.code).toBe('forbidden');
    expect((await send(review, 'spotlight:set', SPOT)).error?.code).toBe('forbidden');
    for (const bad of [{ ...SPOT, mode: 'secret' }, { ...SPOT, section: 'x'.repeat(65) }, { ...SPOT, at: -1 }, { ...SPOT, extra: 1 }, null, 'wall']) {
      expect((await send(host, 'spotlight:set', bad)).error?.code).toBe('bad_request');
    }
    expect((await send(host, 'spotlight:get', {})).spotlight).toBeNull();
  });
});
