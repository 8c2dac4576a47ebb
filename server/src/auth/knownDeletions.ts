/**
 * What the server's document has already deleted, kept as compact sorted ranges per Yjs client,
 * so that an incoming update can be stripped of the deletions the server already has before Yjs
 * applies it (docs/protocol.md, "Judging changes"; docs/spec.md R94).
 *
 * Why: a y-websocket client's sync step 2 carries its *whole* delete set — every note ever deleted
 * and every field ever overwritten on the wall, by anyone (3,861 ranges on a 5,000-note wall with
 * history). Yjs looks each range up in the document's struct store (a binary search over cold
 * objects, then a walk) only to find it deleted already: most of a reconnect's judging time. The
 * ranges here are plain numbers in a few arrays, so subtracting them costs a merge over the
 * incoming ranges, and what is left — usually nothing — is all Yjs has to apply. Applying the
 * stripped update is exactly applying the original one: Yjs skips a range whose structs are
 * deleted already, and the ranges dropped are only ever ranges the document has deleted (items
 * are never undeleted).
 *
 * Kept exact by the document's own `afterTransaction` event (every transaction's delete set,
 * whoever wrote it), built once from the struct store when first needed.
 */
import * as Y from 'yjs';

/** Per client: [start, end, start, end, …] clocks, sorted, disjoint and not adjacent. */
type Ranges = number[];

export class KnownDeletions {
  private readonly clients = new Map<number, Ranges>();
  private readonly onTransaction = (tr: Y.Transaction): void => {
    for (const [client, items] of tr.deleteSet.clients) {
      for (const it of items) this.add(client, it.clock, it.clock + it.len);
    }
  };

  constructor(private readonly doc: Y.Doc) {
    for (const [client, items] of Y.createDeleteSetFromStructStore(doc.store).clients) {
      const r: Ranges = [];
      for (const it of items) pushRange(r, it.clock, it.clock + it.len);
      this.clients.set(client, r);
    }
    doc.on('afterTransaction', this.onTransaction);
  }

  /** Stops following the document. */
  destroy(): void {
    this.doc.off('afterTransaction', this.onTransaction);
  }

  /** Number of ranges kept (for tests and reports). */
  get size(): number {
    let n = 0;
    for (const r of this.clients.values()) n += r.length / 2;
    return n;
  }

  /** Whether every clock of [start, end) of `client` is known deleted. */
  covers(client: number, start: number, end: number): boolean {
    const r = this.clients.get(client);
    if (!r) return false;
    const i = firstEndingAfter(r, start);
    return i < r.length && (r[i] as number) <= start && end <= (r[i + 1] as number);
  }

  /** Records [start, end) of `client` as deleted, merging with neighbours. */
  add(client: number, start: number, end: number): void {
    if (end <= start) return;
    let r = this.clients.get(client);
    if (!r) this.clients.set(client, (r = []));
    // First range that ends at or after `start` (may merge), last that starts at or before `end`.
    let i = 0;
    let hi = r.length / 2;
    while (i < hi) {
      const mid = (i + hi) >> 1;
      if ((r[2 * mid + 1] as number) < start) i = mid + 1;
      else hi = mid;
    }
    let j = i;
    while (2 * j < r.length && (r[2 * j] as number) <= end) j++;
    if (j === i) {
      r.splice(2 * i, 0, start, end);
      return;
    }
    const s = Math.min(start, r[2 * i] as number);
    const e = Math.max(end, r[2 * j - 1] as number);
    r.splice(2 * i, 2 * (j - i), s, e);
  }

  /**
   * The part of [start, end) of `client` not known deleted, as [start, end, …] pieces appended
   * to `out`.
   */
  subtract(client: number, start: number, end: number, out: number[]): void {
    const r = this.clients.get(client);
    if (!r) {
      out.push(start, end);
      return;
    }
    let c = start;
    for (let i = firstEndingAfter(r, start); i < r.length && c < end; i += 2) {
      const s = r[i] as number;
      const e = r[i + 1] as number;
      if (s >= end) break;
      if (s > c) out.push(c, s);
      if (e > c) c = e;
    }
    if (c < end) out.push(c, end);
  }
}

/** Index (even) of the first range of `r` whose end is above `clock`; r.length when none. */
function firstEndingAfter(r: Ranges, clock: number): number {
  let lo = 0;
  let hi = r.length / 2;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((r[2 * mid + 1] as number) <= clock) lo = mid + 1;
    else hi = mid;
  }
  return 2 * lo;
}

/** Appends a range known to start at or after the last one, merging when adjacent. */
function pushRange(r: Ranges, start: number, end: number): void {
  const n = r.length;
  if (n && (r[n - 1] as number) >= start) r[n - 1] = Math.max(r[n - 1] as number, end);
  else r.push(start, end);
}

const following = new WeakMap<Y.Doc, KnownDeletions>();

/**
 * The document's known deletions, built on first use (O(structs), once: a room calls it when it
 * loads, see `prepareForJudging`) and kept up to date by the document's transactions after that.
 */
export function knownDeletions(doc: Y.Doc): KnownDeletions {
  let k = following.get(doc);
  if (!k) {
    k = new KnownDeletions(doc);
    following.set(doc, k);
    doc.once('destroy', () => {
      k?.destroy();
      following.delete(doc);
    });
  }
  return k;
}

/** Bytes lib0 uses for `n` as a variable-length unsigned integer. */
function varUintBytes(n: number): number {
  let b = 1;
  while (n > 127) {
    n = Math.floor(n / 128);
    b++;
  }
  return b;
}

function writeVarUint(out: number[], n: number): void {
  while (n > 127) {
    out.push(128 | (n & 127));
    n = Math.floor(n / 128);
  }
  out.push(n);
}

/** Reads a lib0 var-uint at `pos[0]`, advancing it; NaN when the bytes run out. */
function readVarUint(bytes: Uint8Array, pos: number[]): number {
  let n = 0;
  let mult = 1;
  for (let p = pos[0] as number; p < bytes.length; p++) {
    const b = bytes[p] as number;
    n += (b & 127) * mult;
    mult *= 128;
    if (b < 128) {
      pos[0] = p + 1;
      return n;
    }
    if (mult > 2 ** 53) return NaN;
  }
  return NaN;
}

/**
 * `update` (Yjs update format v1) without the deletions `doc` already has, or `update` itself when
 * nothing can be dropped or its layout is not the one honest Yjs encoders write (then Yjs gets the
 * update unchanged, as before). Never throws.
 *
 * The structs part is kept byte for byte: its end is found from the decoded delete set's encoded
 * length, and the tail at that offset is read back and must match the decoded ranges exactly.
 */
export function withoutKnownDeletions(doc: Y.Doc, update: Uint8Array): Uint8Array {
  let ds: Map<number, { clock: number; len: number }[]>;
  try {
    ds = Y.decodeUpdate(update).ds.clients;
  } catch {
    return update; // Yjs will report it when applying
  }
  if (ds.size === 0) return update;
  let dsBytes = varUintBytes(ds.size);
  let ranges = 0;
  for (const [client, items] of ds) {
    dsBytes += varUintBytes(client) + varUintBytes(items.length);
    for (const it of items) dsBytes += varUintBytes(it.clock) + varUintBytes(it.len);
    ranges += items.length;
  }
  const dsStart = update.length - dsBytes;
  if (dsStart < 1) return update;
  // Read the tail back: it must be this delete set, exactly (same clients, same ranges, in order).
  const pos = [dsStart];
  const nClients = readVarUint(update, pos);
  if (nClients !== ds.size) return update;
  const known = knownDeletions(doc);
  const kept: [number, number[]][] = [];
  let dropped = 0;
  for (let c = 0; c < nClients; c++) {
    const client = readVarUint(update, pos);
    const n = readVarUint(update, pos);
    const items = ds.get(client);
    if (!items || items.length !== n) return update;
    const left: number[] = [];
    for (let k = 0; k < n; k++) {
      const clock = readVarUint(update, pos);
      const len = readVarUint(update, pos);
      const it = items[k] as { clock: number; len: number };
      if (clock !== it.clock || len !== it.len) return update;
      const before = left.length;
      known.subtract(client, clock, clock + len, left);
      if (left.length !== before + 2 || left[before] !== clock || left[before + 1] !== clock + len) dropped++;
    }
    if (left.length) kept.push([client, left]);
  }
  if (pos[0] !== update.length || dropped === 0 || ranges === 0) return update;
  const tail: number[] = [];
  writeVarUint(tail, kept.length);
  for (const [client, left] of kept) {
    writeVarUint(tail, client);
    writeVarUint(tail, left.length / 2);
    for (let i = 0; i < left.length; i += 2) {
      writeVarUint(tail, left[i] as number);
      writeVarUint(tail, (left[i + 1] as number) - (left[i] as number));
    }
  }
  const out = new Uint8Array(dsStart + tail.length);
  out.set(update.subarray(0, dsStart), 0);
  out.set(tail, dsStart);
  return out;
}
