import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import { TokenBucket } from './TokenBucket.ts';
import { ConnectionCounter } from './ConnectionCounter.ts';
import { clientAddress, compileTrust, limitKey } from './clientIp.ts';
import { awarenessOverLimit, AWARENESS_STATE_BYTES } from './awareness.ts';

describe('TokenBucket', () => {
  it('allows a burst, then the sustained rate', () => {
    let now = 0;
    const b = new TokenBucket(10, 5, () => now);
    expect(Array.from({ length: 7 }, () => b.take())).toEqual([true, true, true, true, true, false, false]);
    now += 100; // 1 token
    expect(b.take()).toBe(true);
    expect(b.take()).toBe(false);
    now += 10_000; // refills to the burst, not beyond
    expect(Array.from({ length: 6 }, () => b.take()).filter(Boolean)).toHaveLength(5);
  });
  it('refuses nonsense parameters', () => {
    expect(() => new TokenBucket(0, 5)).toThrow(RangeError);
  });
});

describe('ConnectionCounter', () => {
  it('counts per address, releases once, forgets empty addresses', () => {
    const c = new ConnectionCounter(2);
    const r1 = c.admit('a')!;
    const r2 = c.admit('a')!;
    expect(c.admit('a')).toBeNull();
    expect(c.admit('b')).not.toBeNull();
    r1();
    r1(); // idempotent
    expect(c.count('a')).toBe(1);
    expect(c.admit('a')).not.toBeNull();
    r2();
    expect(new ConnectionCounter(0).admit('x')).not.toBeNull();
  });
});

describe('client address', () => {
  const req = (remote: string, xff?: string) => ({ socket: { remoteAddress: remote }, headers: xff ? { 'x-forwarded-for': xff } : {} }) as never;
  it('believes X-Forwarded-For only from trusted proxies (TRUST_PROXY), like req.ip', () => {
    const loopback = compileTrust('loopback');
    expect(clientAddress(req('203.0.113.9', '198.51.100.1'), loopback)).toBe('203.0.113.9');
    expect(clientAddress(req('127.0.0.1', '198.51.100.1'), loopback)).toBe('198.51.100.1');
    // A client's forged hop in front of the proxy's is not believed past the first untrusted one.
    expect(clientAddress(req('127.0.0.1', '10.0.0.1, 198.51.100.1'), loopback)).toBe('198.51.100.1');
    expect(clientAddress(req('::ffff:127.0.0.1'), loopback)).toBe('127.0.0.1');
    expect(clientAddress(req('10.1.2.3', '198.51.100.7'), compileTrust(1))).toBe('198.51.100.7');
  });
  it('keys IPv6 by /64', () => {
    expect(limitKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(limitKey('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(limitKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(limitKey('::1')).toBe('0:0:0:0::/64');
  });
});

describe('awareness bounds', () => {
  it('refuses a state larger than the limit, accepts ours, leaves malformed input to the protocol', () => {
    const a = new awarenessProtocol.Awareness(new Y.Doc());
    a.setLocalState({ user: { name: 'Ana', color: '#112233' } });
    expect(awarenessOverLimit(awarenessProtocol.encodeAwarenessUpdate(a, [a.clientID]))).toBeNull();
    a.setLocalState({ user: { name: 'x'.repeat(AWARENESS_STATE_BYTES) } });
    expect(awarenessOverLimit(awarenessProtocol.encodeAwarenessUpdate(a, [a.clientID]))).toMatch(/awareness state over/);
    expect(awarenessOverLimit(new Uint8Array([5, 1]))).toBeNull();
  });
});
