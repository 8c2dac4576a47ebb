/**
 * Personal data across processes (issue 13; docs/spec.md R80, R81; docs/deployment.md scale-out):
 * two servers sharing one PostgreSQL schema and one Redis. Emails given on process A — a stock
 * client's note with `email`, a person's `contact:set` — never travel on the wall's Redis channel
 * (the document updates and awareness the processes exchange) and never reach the documents of
 * the roles connected to process B; B's roles get exactly the emails allowed over socket.io and
 * REST, pushed across processes when they change.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Redis } from 'ioredis';
import { addNote, listNotes, ownerIdFromSecret, randomToken, roots } from '@maillage/shared';
import { createBoard, startServer, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/yclient.ts';
import { createTempSchema, describeWithServices, probePostgres, probeRedis } from '../helpers/processes.ts';
import {
  ack,
  answer,
  connectRecording,
  docText,
  frameText,
  joinRecording,
  latestContactList,
  occurring,
  receivedTexts,
  sleep,
  updateText,
  type RecordingSocket,
  type RecordingYClient,
} from '../helpers/personal-wire.ts';

const [pgProbe, redisProbe] = await Promise.all([probePostgres(), probeRedis()]);

describeWithServices('personal data across processes (PostgreSQL + Redis)', [pgProbe, redisProbe], () => {
  let a: TestServer;
  let b: TestServer;
  let schema: Awaited<ReturnType<typeof createTempSchema>>;
  beforeAll(async () => {
    schema = await createTempSchema(pgProbe.url, 'pdscale');
    a = await startServer({ databaseUrl: schema.url, redisUrl: redisProbe.url });
    b = await startServer({ databaseUrl: schema.url, redisUrl: redisProbe.url });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await schema?.drop();
  });

  it('R80 R81 emails given on one process travel on no Redis wall channel and reach no document on the other; its sockets and REST get exactly the allowed ones', async () => {
    const tag = randomToken(8).replace(/[^A-Za-z0-9]/g, 'x').toLowerCase();
    const stockEmail = `scale.stock.${tag}@pd-${tag}.example`;
    const sharedEmail = `scale.shared.${tag}@pd-${tag}.example`;
    const needles = [stockEmail, sharedEmail, `@pd-${tag}.example`];
    const wall = await createBoard(a.http, { title: `Deux processus ${tag}` });

    // Everything the processes say to each other about this wall.
    const wire: { channel: string; text: string }[] = [];
    const sub = new Redis(redisProbe.url);
    sub.on('pmessageBuffer', (_p: Buffer, channel: Buffer, message: Buffer) => {
      if (channel.toString().includes(wall.id)) wire.push({ channel: channel.toString(), text: frameText(new Uint8Array(message)) + updateTextSafe(message) });
    });
    await sub.psubscribe('maillage:wall:*');

    const ys: RecordingYClient[] = [];
    const ss: RecordingSocket[] = [];
    const watch = async (key: string | undefined, secret?: string) => {
      const y = connectRecording(b.ws, wall.id, { key, ownerSecret: secret });
      const s = await joinRecording(b.http, wall.id, { key, ownerSecret: secret });
      await y.synced;
      ys.push(y);
      ss.push(s);
      return { y, s };
    };
    try {
      const host = await watch(wall.hostKey);
      const participant = await watch(undefined, `scale-participant-${tag}`);
      const review = await watch(wall.reviewKey);

      // On process A: a stock client writes its email on its note; a person shares with participants.
      const stock = connectRecording(a.ws, wall.id);
      ys.push(stock);
      await stock.synced;
      stock.doc.transact(() => {
        const m = new Y.Map<unknown>();
        for (const [k, v] of Object.entries({ text: `Note stock ${tag}`, author: 'Stock', email: stockEmail, domainId: 'mentoring', x: 5, y: 5, color: '#a5d6a7', createdAt: Date.now() })) m.set(k, v);
        roots(stock.doc).notes.set(`stock-${tag}`, m);
      });
      const secret = `scale-person-${tag}`;
      const person = connectRecording(a.ws, wall.id, { ownerSecret: secret });
      const personS = await joinRecording(a.http, wall.id, { ownerSecret: secret });
      ys.push(person);
      ss.push(personS);
      await person.synced;
      expect((await ack(personS, 'contact:set', { email: sharedEmail, share: 'participants' })).ok).toBe(true);
      addNote(person.doc, { text: `Note partagée ${tag}`, domainId: 'other', author: 'Partage', ownerId: ownerIdFromSecret(secret) });

      for (const v of [host, participant, review]) await waitFor(v.y.doc, () => listNotes(v.y.doc).length === 2, 8000, 'both notes on process B');
      await sleep(800);

      const leaks: Record<string, string[]> = {
        'redis wall channel': wire.flatMap((w) => occurring(w.text, needles).map((e) => `${w.channel}: ${e}`)),
      };
      for (const [label, v] of [['host', host], ['participant', participant], ['review', review]] as const) {
        leaks[`${label} on B, y-websocket`] = [...v.y.frames.flatMap((f) => occurring(frameText(f), needles)), ...occurring(docText(v.y.doc), needles)];
      }
      leaks['participant on B, socket.io (may see only the shared email)'] = receivedTexts(participant.s).flatMap((r) => occurring(r.text, [stockEmail]));
      leaks['review on B, socket.io'] = receivedTexts(review.s).flatMap((r) => occurring(r.text, [stockEmail, sharedEmail]));
      expect(leaks).toEqual(Object.fromEntries(Object.keys(leaks).map((k) => [k, []])));
      expect(wire.length, 'the processes did exchange this wall’s updates').toBeGreaterThan(0);

      // Pushed across processes: B's host gets both, B's participant the shared one.
      await expect.poll(() => Object.values(latestContactList(host.s) ?? {}).sort(), { timeout: 5000 }).toEqual([sharedEmail, stockEmail].sort());
      await expect.poll(() => Object.values(latestContactList(participant.s) ?? {}), { timeout: 5000 }).toEqual([sharedEmail]);
      const contacts = await answer(b.http, `/api/boards/${wall.id}/contacts`, wall.hostKey);
      expect(occurring(contacts.text, [stockEmail, sharedEmail]).sort()).toEqual([sharedEmail, stockEmail].sort());
    } finally {
      for (const y of ys) y.destroy();
      for (const s of ss) s.disconnect();
      await sub.quit();
    }
  });
});

/** A Redis wire message may wrap a Yjs update after a kind byte: decode it when it does. */
function updateTextSafe(message: Buffer): string {
  for (let skip = 0; skip <= 2; skip++) {
    try {
      return `\n${updateText(new Uint8Array(message.subarray(skip)))}`;
    } catch {
      /* not an update at this offset */
    }
  }
  return '';
}
