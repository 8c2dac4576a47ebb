/**
 * Bounded selection of the best-scoring ids, used wherever each note keeps only its strongest
 * links: a full sort of every row would dominate the run time on large walls.
 */

/**
 * Keeps the `k` best (score, id) pairs offered, in a min-heap; ties favour the lower id so that
 * results do not depend on the order notes were touched.
 */
export class TopK {
  private readonly s: Float64Array;
  private readonly id: Int32Array;
  private size = 0;

  constructor(private readonly k: number) {
    this.s = new Float64Array(k);
    this.id = new Int32Array(k);
  }

  clear(): void {
    this.size = 0;
  }

  offer(score: number, id: number): void {
    if (this.k === 0) return;
    if (this.size < this.k) {
      let i = this.size++;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!this.worse(score, id, p)) break;
        this.s[i] = this.s[p] as number;
        this.id[i] = this.id[p] as number;
        i = p;
      }
      this.s[i] = score;
      this.id[i] = id;
    } else if (!this.worse(score, id, 0)) {
      this.siftDownFromRoot(score, id);
    }
  }

  /** Writes the kept pairs, best first, at `offset`; returns how many. */
  drainInto(ids: Int32Array, scores: Float32Array, offset: number): number {
    const order = Array.from({ length: this.size }, (_, i) => i);
    order.sort((a, b) => (this.s[b] as number) - (this.s[a] as number) || (this.id[a] as number) - (this.id[b] as number));
    order.forEach((h, r) => {
      ids[offset + r] = this.id[h] as number;
      scores[offset + r] = this.s[h] as number;
    });
    return this.size;
  }

  /** Writes the kept pairs in no particular order at 0 (cheaper than sorting); returns how many. */
  copyInto(ids: Int32Array, scores: Float32Array): number {
    ids.set(this.id.subarray(0, this.size));
    for (let i = 0; i < this.size; i++) scores[i] = this.s[i] as number;
    return this.size;
  }

  /** True when (score, id) ranks below slot j. */
  private worse(score: number, id: number, j: number): boolean {
    const sj = this.s[j] as number;
    return score < sj || (score === sj && id > (this.id[j] as number));
  }

  private siftDownFromRoot(score: number, id: number): void {
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.size) break;
      const r = l + 1;
      const c = r < this.size && this.lower(r, l) ? r : l;
      if (this.worse(score, id, c)) break;
      this.s[i] = this.s[c] as number;
      this.id[i] = this.id[c] as number;
      i = c;
    }
    this.s[i] = score;
    this.id[i] = id;
  }

  private lower(a: number, b: number): boolean {
    return this.worse(this.s[a] as number, this.id[a] as number, b);
  }
}
