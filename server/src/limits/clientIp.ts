/**
 * The client address a limit is keyed by, for any request (REST, websocket upgrade, socket.io
 * handshake), with the same `trust proxy` rule Express applies to `req.ip` (TRUST_PROXY): walk the
 * X-Forwarded-For chain from the socket's peer and stop at the first address we do not trust.
 *
 * IPv6 addresses are keyed by their /64 network: one household or phone gets a whole /64, so
 * keying by the full address would let a single client pick a fresh key per connection.
 */
import type { IncomingMessage } from 'node:http';
import { isIPv6 } from 'node:net';
import express from 'express';

export type TrustFn = (addr: string, hop: number) => boolean;

/** Express's own compiled form of a `trust proxy` value, so both paths agree on who is trusted. */
export function compileTrust(trustProxy: boolean | number | string): TrustFn {
  const app = express();
  app.set('trust proxy', trustProxy);
  return app.get('trust proxy fn') as TrustFn;
}

/** The untrusted end of the forwarding chain (what Express calls req.ip), as a limit key. */
export function clientAddress(req: Pick<IncomingMessage, 'headers' | 'socket'>, trust: TrustFn): string {
  const chain = [req.socket.remoteAddress ?? ''];
  const xff = req.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(xff) ? xff.join(',') : (xff ?? '')).split(',').map((s) => s.trim()).filter(Boolean);
  chain.push(...forwarded.reverse());
  let i = 0;
  while (i < chain.length - 1 && trust(chain[i] as string, i)) i++;
  return limitKey(chain[i] as string);
}

/** Normalises an address into a limit key: IPv4-mapped IPv6 → IPv4, IPv6 → its /64. */
export function limitKey(addr: string): string {
  const a = addr.trim().toLowerCase();
  if (a.startsWith('::ffff:') && a.includes('.')) return a.slice(7);
  if (!isIPv6(a)) return a;
  return `${expandIPv6(a).slice(0, 4).join(':')}::/64`;
}

function expandIPv6(a: string): string[] {
  const [head = '', tail] = a.split('%')[0]!.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array<string>(Math.max(0, 8 - h.length - t.length)).fill('0');
  return [...h, ...fill, ...t].map((g) => g.replace(/^0+(?=.)/, ''));
}
