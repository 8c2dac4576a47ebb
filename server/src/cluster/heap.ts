/**
 * Max-heap of scored pairs in parallel typed arrays: agglomeration pushes one entry per
 * neighbour of every merged cluster, hundreds of thousands on a large wall, and objects per
 * entry would dominate the run time.
 */
export class PairHeap {
  private score = new Float64Array(64);
  private x = new Int32Array(64);
  private y = new Int32Array(64);
  size = 0;

  /** Adds a pair. Equal scores pop in ascending (x, y) order, keeping results deterministic. */
  push(score: number, x: number, y: number): void {
    if (this.size === this.score.length) this.grow();
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(score, x, y, parent)) break;
      this.move(parent, i);
      i = parent;
    }
    this.set(i, score, x, y);
  }

  /** The best pair, or undefined when empty. */
  peek(): { score: number; x: number; y: number } | undefined {
    if (this.size === 0) return undefined;
    return { score: this.score[0] as number, x: this.x[0] as number, y: this.y[0] as number };
  }

  /** Removes the best pair. */
  pop(): void {
    if (this.size === 0) return;
    const last = --this.size;
    if (last === 0) return;
    const s = this.score[last] as number;
    const x = this.x[last] as number;
    const y = this.y[last] as number;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= last) break;
      const r = l + 1;
      const c = r < last && this.higher(r, l) ? r : l;
      if (this.before(s, x, y, c)) break;
      this.move(c, i);
      i = c;
    }
    this.set(i, s, x, y);
  }

  private before(s: number, x: number, y: number, j: number): boolean {
    const sj = this.score[j] as number;
    if (s !== sj) return s > sj;
    const xj = this.x[j] as number;
    return x !== xj ? x < xj : y < (this.y[j] as number);
  }

  private higher(i: number, j: number): boolean {
    return this.before(this.score[i] as number, this.x[i] as number, this.y[i] as number, j);
  }

  private move(from: number, to: number): void {
    this.set(to, this.score[from] as number, this.x[from] as number, this.y[from] as number);
  }

  private set(i: number, s: number, x: number, y: number): void {
    this.score[i] = s;
    this.x[i] = x;
    this.y[i] = y;
  }

  private grow(): void {
    const len = this.score.length * 2;
    const score = new Float64Array(len);
    const x = new Int32Array(len);
    const y = new Int32Array(len);
    score.set(this.score);
    x.set(this.x);
    y.set(this.y);
    [this.score, this.x, this.y] = [score, x, y];
  }
}
