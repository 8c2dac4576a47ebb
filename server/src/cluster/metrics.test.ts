import { describe, expect, it } from 'vitest';
import { adjustedRandIndex, normalizedMutualInfo, pairwiseF1 } from './metrics.ts';

// Reference values computed with scikit-learn (adjusted_rand_score, normalized_mutual_info_score).
describe('adjustedRandIndex', () => {
  it('is 1 for the same partition under any naming', () => {
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 0, 1, 1])).toBe(1);
    expect(adjustedRandIndex(['a', 'a', 'b', 'b'], [7, 7, 3, 3])).toBe(1);
  });

  it('matches known values', () => {
    expect(adjustedRandIndex([0, 0, 1, 2], [0, 0, 1, 1])).toBeCloseTo(0.5714285714, 9);
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1])).toBeCloseTo(-0.5, 9);
    expect(adjustedRandIndex([0, 0, 0, 0], [0, 1, 2, 3])).toBe(0);
    expect(adjustedRandIndex([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2])).toBeCloseTo(0.2424242424, 9);
  });

  it('rejects labelings of different lengths', () => {
    expect(() => adjustedRandIndex([0], [0, 1])).toThrow(RangeError);
  });
});

describe('normalizedMutualInfo', () => {
  it('is 1 for the same partition and 0 for independent ones', () => {
    expect(normalizedMutualInfo([0, 0, 1, 1], [1, 1, 0, 0])).toBeCloseTo(1, 12);
    expect(normalizedMutualInfo([0, 0, 1, 1], [0, 1, 0, 1])).toBeCloseTo(0, 12);
  });

  it('matches known values (arithmetic normalisation)', () => {
    expect(normalizedMutualInfo([0, 0, 1, 2], [0, 0, 1, 1])).toBeCloseTo(0.8, 9);
    expect(normalizedMutualInfo([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2])).toBeCloseTo(0.5158037429, 9);
  });

  it('treats two single-cluster labelings as identical', () => {
    expect(normalizedMutualInfo(['x', 'x'], ['y', 'y'])).toBe(1);
  });
});

describe('pairwiseF1', () => {
  it('counts the pairs put together by each partition', () => {
    // Predicted pairs (0,1) (2,3) (4,5): two of three are true pairs; the truth has six pairs.
    const { precision, recall, f1 } = pairwiseF1([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2]);
    expect(precision).toBeCloseTo(2 / 3, 12);
    expect(recall).toBeCloseTo(1 / 3, 12);
    expect(f1).toBeCloseTo(4 / 9, 12);
  });

  it('is 1 for the same partition and for two partitions without pairs', () => {
    expect(pairwiseF1(['a', 'a', 'b'], [2, 2, 1]).f1).toBe(1);
    expect(pairwiseF1([1, 2, 3], [4, 5, 6]).f1).toBe(1);
  });
});
