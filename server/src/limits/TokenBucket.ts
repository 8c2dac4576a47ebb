/**
 * A token bucket: `burst` tokens, refilled at `perSecond` tokens a second. Each message takes one;
 * a message that finds the bucket empty is over the limit.
 *
 * Used for per-connection message rates (y-websocket frames, socket.io events). Those are local to
 * the process that holds the connection, so unlike per-IP limits they need no shared store, and a
 * synchronous check keeps the frame handler synchronous (frames are handled in arrival order, with
 * no promise or timer per frame).
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly perSecond: number,
    readonly burst: number,
    private readonly now: () => number = performance.now.bind(performance),
  ) {
    if (!(perSecond > 0) || !(burst >= 1)) throw new RangeError('a token bucket needs perSecond > 0 and burst >= 1');
    this.tokens = burst;
    this.last = now();
  }

  /** Takes one token; false when the bucket is empty (the message is over the limit). */
  take(): boolean {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.perSecond);
    this.last = t;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
