/**
 * Concurrent connections per client address, counted in this process. y-websocket and socket.io
 * connections share one count, since a person has one of each.
 *
 * The count is per process on purpose: a process that dies takes its connections with it, so a
 * shared counter (Redis) would need leases to avoid counting ghosts. Behind a load balancer with N
 * processes one address may therefore hold up to N × the limit — still a bound, which is what
 * protects file descriptors and memory (docs/security.md, limits).
 */
export class ConnectionCounter {
  private readonly counts = new Map<string, number>();

  /** @param max concurrent connections per address; 0 means unlimited. */
  constructor(readonly max: number) {}

  /** Counts a new connection; returns its release function, or null when the address is at the limit. */
  admit(address: string): (() => void) | null {
    const n = this.counts.get(address) ?? 0;
    if (this.max > 0 && n >= this.max) return null;
    this.counts.set(address, n + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.counts.get(address) ?? 1) - 1;
      if (left > 0) this.counts.set(address, left);
      else this.counts.delete(address);
    };
  }

  count(address: string): number {
    return this.counts.get(address) ?? 0;
  }

  /** Addresses with at least one connection (to check that nothing leaks). */
  get addresses(): number {
    return this.counts.size;
  }
}
