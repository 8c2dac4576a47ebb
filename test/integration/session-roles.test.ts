/**
 * Host rights end with the key that granted them, and presence is one's own (docs/spec.md R54),
 * over socket.io with a real server and real clients.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CursorEntry } from '@maillage/shared';
import { createBoard, startServer, type TestServer } from '../helpers/server.ts';
import { sleep } from '../helpers/yclient.ts';
import { call, joinSession, type SessionClient } from '../helpers/session.ts';
import { hostsRoom } from '../../server/src/session/SessionService.ts';

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer();
});
afterAll(async () => {
  await srv?.close();
});

const secret = (s: string): string => `device-secret-for-roles-${s.padStart(6, '0')}`;

/** Every event a socket receives, in order. */
function record(s: SessionClient): [string, unknown][] {
  const events: [string, unknown][] = [];
  s.onAny((e: string, payload: unknown) => events.push([e, payload]));
  return events;
}

async function until(pred: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await sleep(20);
  }
}

function rejoin(s: SessionClient, req: { boardId: string; key?: string; ownerSecret?: string; name?: string }): Promise<{ ok: boolean; role?: string; error?: { code: string } }> {
  return new Promise((r) => s.emit('board:join', req, r as never));
}

async function inHostsRoom(boardId: string, socketId: string | undefined): Promise<boolean> {
  const sockets = await srv.server.io.in(hostsRoom(boardId)).fetchSockets();
  return sockets.some((s) => s.id === socketId);
}

describe('R54 host rights end with the key that granted them', () => {
  it('R54 a socket that joined as host and re-joins as participant stops receiving private notes and host events', async () => {
    const b = await createBoard(srv.http);
    const h = await joinSession(srv.http, b.id, { key: b.hostKey, ownerSecret: secret('h') });
    const a = await joinSession(srv.http, b.id, { ownerSecret: secret('a') });
    await call(h, 'host:private', { enabled: true });
    const seen = record(h);
    await call(a, 'private:add', { text: 'PRIVATE-BEFORE', domainId: 'other' });
    await until(() => seen.some(([e]) => e === 'private:note'), 5000, 'host gets the note');
    expect(await inHostsRoom(b.id, h.id)).toBe(true);
    const res = await rejoin(h, { boardId: b.id, ownerSecret: secret('h') });
    expect(res).toMatchObject({ ok: true, role: 'participant' });
    expect(await inHostsRoom(b.id, h.id)).toBe(false);
    seen.length = 0;
    await call(a, 'private:add', { text: 'PRIVATE-AFTER', domainId: 'other' });
    await sleep(300);
    expect(JSON.stringify(seen)).not.toContain('PRIVATE-AFTER');
    expect(seen.filter(([e]) => e === 'private:note' || e.startsWith('cluster:') || e.startsWith('held:note'))).toEqual([]);
    // Host commands are refused to it now.
    expect(await call(h, 'host:lock', { locked: true })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    h.disconnect();
    a.disconnect();
  });

  it('R54 after the host key is rotated, every other socket that joined with the old key leaves the hosts room and is disconnected; the old key joins nothing', async () => {
    const b = await createBoard(srv.http);
    const rotator = await joinSession(srv.http, b.id, { key: b.hostKey });
    const other = await joinSession(srv.http, b.id, { key: b.hostKey });
    const rejoined = await joinSession(srv.http, b.id, { key: b.hostKey });
    // This one re-joined as a participant before the rotation: it keeps its participant session.
    expect(await rejoin(rejoined, { boardId: b.id, ownerSecret: secret('r') })).toMatchObject({ ok: true, role: 'participant' });
    const a = await joinSession(srv.http, b.id, { ownerSecret: secret('a') });
    const otherEvents = record(other);
    const gone = new Promise<string>((r) => other.once('disconnect', (reason) => r(reason)));
    const rotated = await call(rotator, 'host:rotateKey', { which: 'host' });
    expect(rotated.ok).toBe(true);
    expect(await gone).toBe('io server disconnect');
    expect(await inHostsRoom(b.id, other.id)).toBe(false);
    expect(await inHostsRoom(b.id, rotator.id)).toBe(true);
    expect(rejoined.connected).toBe(true);
    // The old key grants nothing; the new one does.
    await expect(joinSession(srv.http, b.id, { key: b.hostKey })).rejects.toThrow(/unauthorized/);
    if (rotated.ok) expect((await joinSession(srv.http, b.id, { key: rotated.key })).role).toBe('host');
    // What hosts receive afterwards never reaches the disconnected socket.
    await call(rotator, 'host:private', { enabled: true });
    await call(a, 'private:add', { text: 'AFTER-ROTATION', domainId: 'other' });
    await sleep(200);
    expect(JSON.stringify(otherEvents)).not.toContain('AFTER-ROTATION');
    for (const s of [rotator, other, rejoined, a]) s.disconnect();
  });
});

describe('R54 presence is one\'s own', () => {
  it('R54 review links show no cursor and no name; cursor ids are chosen by the server; re-joining elsewhere removes the cursor', async () => {
    const b = await createBoard(srv.http);
    const b2 = await createBoard(srv.http);
    const observer = await joinSession(srv.http, b.id, { ownerSecret: secret('obs') });
    const batches: CursorEntry[][] = [];
    observer.on('presence:cursors', (batch) => batches.push(batch));
    const review = await joinSession(srv.http, b.id, { key: b.reviewKey, name: 'REVIEW-NAME' });
    const p = await joinSession(srv.http, b.id, { ownerSecret: secret('p'), name: 'Paula' });
    review.emit('presence:cursor', [5, 5]);
    p.emit('presence:cursor', [10, 20]);
    await until(() => batches.flat().some((e) => e[3] === 'Paula'), 5000, 'participant cursor');
    const paulaId = batches.flat().find((e) => e[3] === 'Paula')?.[0];
    // The id is not the socket's id (nor a prefix of it), so it cannot be guessed from the transport.
    expect(paulaId).toBeTruthy();
    expect(p.id?.startsWith(paulaId ?? '')).toBe(false);
    review.disconnect();
    await sleep(300);
    expect(JSON.stringify(batches)).not.toContain('REVIEW-NAME');
    expect(batches.flat().filter((e) => e[0] !== paulaId)).toEqual([]);
    // A socket cannot choose or overwrite an id: whatever it sends, only its own entry moves.
    p.emit('presence:cursor', [paulaId, 1, 2] as never);
    p.emit('presence:cursor', [30, 40]);
    await until(() => batches.flat().some((e) => e[1] === 30), 5000, 'moved cursor');
    expect(new Set(batches.flat().map((e) => e[0]))).toEqual(new Set([paulaId]));
    // Joining another wall takes the cursor off this one.
    batches.length = 0;
    expect((await rejoin(p, { boardId: b2.id, ownerSecret: secret('p') })).ok).toBe(true);
    await until(() => batches.flat().some((e) => e[0] === paulaId && e[1] === null), 5000, 'cursor removed');
    for (const s of [observer, p]) s.disconnect();
  });
});
