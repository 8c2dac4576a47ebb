/** Percentiles and summaries over samples (nearest-rank, so every figure is an observed value). */

export interface Summary {
  count: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function percentileSorted(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

/** Summarises `values`; NaN entries (e.g. undelivered messages) must be filtered out first. */
export function summarize(values: ArrayLike<number>): Summary {
  const sorted = Float64Array.from(values as ArrayLike<number>).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    count: sorted.length,
    mean: sorted.length ? sum / sorted.length : NaN,
    p50: percentileSorted(sorted, 50),
    p95: percentileSorted(sorted, 95),
    p99: percentileSorted(sorted, 99),
    max: sorted.length ? (sorted[sorted.length - 1] as number) : NaN,
  };
}

export const median = (values: ArrayLike<number>): number => summarize(values).p50;

/** Milliseconds on a clock shared by every process of this machine (sub-millisecond resolution). */
export const now = (): number => performance.timeOrigin + performance.now();

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Rounds for tables: 3 significant digits below 10, whole numbers above 100. */
export function fmt(v: number, digits = 1): string {
  if (!Number.isFinite(v)) return 'n/a';
  if (Math.abs(v) >= 100) return Math.round(v).toLocaleString('en-US');
  return v.toFixed(Math.abs(v) < 10 ? Math.max(digits, 2) : digits);
}

export const kb = (bytes: number): string => fmt(bytes / 1024);
export const mb = (bytes: number): string => fmt(bytes / (1024 * 1024));
