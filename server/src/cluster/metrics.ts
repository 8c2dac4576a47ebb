/**
 * Agreement between two partitions of the same items, for judging clustering quality against a
 * labelled fixture. A partition is an array of labels, one per item; an unclustered item must
 * carry a label of its own (e.g. its id), not a shared "noise" label, or all the noise would count
 * as one big cluster.
 */

interface Contingency {
  /** Non-empty cells: row index, column index, count. */
  cells: { r: number; c: number; count: number }[];
  rows: number[];
  cols: number[];
  n: number;
}

function contingency(x: readonly unknown[], y: readonly unknown[]): Contingency {
  if (x.length !== y.length) throw new RangeError('labelings differ in length');
  const rowIds = new Map<unknown, number>();
  const colIds = new Map<unknown, number>();
  const cells = new Map<string, { r: number; c: number; count: number }>();
  const rows: number[] = [];
  const cols: number[] = [];
  x.forEach((xi, i) => {
    let r = rowIds.get(xi);
    if (r === undefined) rowIds.set(xi, (r = rows.push(0) - 1));
    let c = colIds.get(y[i]);
    if (c === undefined) colIds.set(y[i], (c = cols.push(0) - 1));
    rows[r] = (rows[r] as number) + 1;
    cols[c] = (cols[c] as number) + 1;
    const key = `${r}:${c}`;
    const cell = cells.get(key);
    if (cell) cell.count++;
    else cells.set(key, { r, c, count: 1 });
  });
  return { cells: [...cells.values()], rows, cols, n: x.length };
}

const pairs = (k: number): number => (k * (k - 1)) / 2;

/**
 * Adjusted Rand Index (Hubert & Arabie): pair-counting agreement corrected for chance. 1 for
 * identical partitions, about 0 for random ones, can go negative.
 *
 * @throws RangeError when the labelings differ in length.
 */
export function adjustedRandIndex(truth: readonly unknown[], predicted: readonly unknown[]): number {
  const { cells, rows, cols, n } = contingency(truth, predicted);
  const index = cells.reduce((s, c) => s + pairs(c.count), 0);
  const sumRows = rows.reduce((s, c) => s + pairs(c), 0);
  const sumCols = cols.reduce((s, c) => s + pairs(c), 0);
  const expected = (sumRows * sumCols) / (pairs(n) || 1);
  const max = (sumRows + sumCols) / 2;
  // Degenerate: both all-singletons or both one cluster. They agree perfectly.
  if (max === expected) return 1;
  return (index - expected) / (max - expected);
}

/**
 * Normalized Mutual Information with arithmetic-mean normalisation (scikit-learn's default):
 * I(X;Y) / ((H(X) + H(Y)) / 2). 1 for identical partitions, 0 for independent ones.
 *
 * @throws RangeError when the labelings differ in length.
 */
export function normalizedMutualInfo(truth: readonly unknown[], predicted: readonly unknown[]): number {
  const { cells, rows, cols, n } = contingency(truth, predicted);
  if (n === 0) return 1;
  const entropy = (counts: number[]): number => counts.reduce((h, c) => h - (c / n) * Math.log(c / n), 0);
  const hx = entropy(rows);
  const hy = entropy(cols);
  if (hx === 0 && hy === 0) return 1;
  let mi = 0;
  for (const { r, c, count } of cells) mi += (count / n) * Math.log((n * count) / ((rows[r] as number) * (cols[c] as number)));
  return Math.max(0, Math.min(1, mi / ((hx + hy) / 2)));
}

/**
 * Pairwise precision, recall and F1: of the pairs of items the prediction puts together, the share
 * the truth puts together too (precision), and of the truth's pairs, the share the prediction
 * found (recall). Easier to read than ARI when telling a split theme (low recall) from a merged
 * one (low precision). 1 for both when neither partition has a pair.
 *
 * @throws RangeError when the labelings differ in length.
 */
export function pairwiseF1(truth: readonly unknown[], predicted: readonly unknown[]): { precision: number; recall: number; f1: number } {
  const { cells, rows, cols } = contingency(truth, predicted);
  const together = cells.reduce((s, c) => s + pairs(c.count), 0);
  const truePairs = rows.reduce((s, c) => s + pairs(c), 0);
  const predictedPairs = cols.reduce((s, c) => s + pairs(c), 0);
  const precision = predictedPairs ? together / predictedPairs : 1;
  const recall = truePairs ? together / truePairs : 1;
  return { precision, recall, f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0 };
}
