import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, errorFields, nonBlockingDestination } from './logger.ts';

describe('log destination (R61)', () => {
  it('drops lines past its bound instead of blocking, and says how many once it can write again', async () => {
    // A stream nobody reads: its buffer only grows, like a pipe whose reader is gone.
    const out = new PassThrough({ highWaterMark: 16 });
    const dest = nonBlockingDestination(out, 1000);
    const log = createLogger('info', dest);
    for (let i = 0; i < 100; i++) log.info({ i }, 'a line of about a hundred bytes once pino has added its fields');
    expect(out.writableLength).toBeLessThanOrEqual(1000);
    expect(dest.dropped).toBeGreaterThan(80);
    // flush gives up at its timeout when nobody reads.
    const t0 = Date.now();
    await dest.flush(50);
    expect(Date.now() - t0).toBeLessThan(1000);
    // Once read, the next line is preceded by the count of dropped ones.
    const chunks: string[] = [];
    out.on('data', (c: Buffer) => chunks.push(c.toString()));
    await dest.flush(1000);
    log.info('back');
    await new Promise((r) => setImmediate(r));
    const text = chunks.join('');
    expect(text).toMatch(/"dropped":\d+/);
    expect(text).toContain('"msg":"back"');
  });

  it('errorFields keeps the name and stack frames, never the message', () => {
    const f = errorFields(new TypeError('zoe@example.org wrote this'));
    expect(f.errName).toBe('TypeError');
    expect(JSON.stringify(f)).not.toContain('zoe@example.org');
    expect(f.stack).toMatch(/^\s+at /);
    expect(errorFields('a secret string')).toEqual({ errName: 'string' });
  });

  it('R208 an error logged as { err } or { error } goes through errorFields: no message, no input it quotes', async () => {
    const out = new PassThrough();
    const chunks: string[] = [];
    out.on('data', (c: Buffer) => chunks.push(c.toString()));
    const log = createLogger('info', out);
    log.error({ board: 'w1', err: new SyntaxError('Unexpected token in {"email":"zoe@example.org"}') }, 'persisting updates failed');
    log.warn({ error: new Error('ana@example.org is not allowed') }, 'refused');
    log.error({ err: 'a thrown string with bob@example.org' }, 'odd throw');
    await new Promise((r) => setImmediate(r));
    const lines = chunks.join('').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(3);
    expect(chunks.join('')).not.toContain('@example.org');
    expect(lines[0]?.err).toMatchObject({ errName: 'SyntaxError' });
    expect(lines[1]?.error).toMatchObject({ errName: 'Error' });
    expect(lines[2]?.err).toEqual({ errName: 'string' });
  });
});
