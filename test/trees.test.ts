import { describe, expect, it } from 'vitest';
import { fitForest, BOOST_DEFAULTS } from '../scripts/boost.ts';
import { forestProbability, forestScore, type Forest } from '../src/core/recognise/trees.ts';

/** A small deterministic data set: right when x0 > 0.5 and x1 < 0.3, or when x2 is set (an interaction no line can draw). */
function rowsOf(n: number, seed: number): { features: number[]; label: 0 | 1 }[] {
  let s = seed;
  const next = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  return Array.from({ length: n }, () => {
    const features = [next(), next(), next() < 0.1 ? 1 : 0, next()];
    const label = (features[0]! > 0.5 && features[1]! < 0.3) || features[2] === 1 ? 1 : 0;
    return { features, label: label as 0 | 1 };
  });
}

describe('boosted trees (the confidence model)', () => {
  it('learn an interaction of two features and a flag, and say so on rows they never saw', () => {
    const forest = fitForest(rowsOf(2000, 7));
    const unseen = rowsOf(500, 99);
    const right = unseen.filter((r) => (forestProbability(forest, r.features) >= 0.5 ? 1 : 0) === r.label).length;
    expect(right / unseen.length).toBeGreaterThan(0.95);
    expect(forestProbability(forest, [0.9, 0.1, 0, 0.5])).toBeGreaterThan(0.9);
    expect(forestProbability(forest, [0.9, 0.9, 0, 0.5])).toBeLessThan(0.1);
    expect(forestProbability(forest, [0.1, 0.9, 1, 0.5])).toBeGreaterThan(0.9);
  });

  it('are the same forest from the same rows', () => {
    const rows = rowsOf(600, 3);
    expect(JSON.stringify(fitForest(rows))).toBe(JSON.stringify(fitForest(rows)));
  });

  it('start from the base rate and stay there when no feature tells anything', () => {
    const rows = Array.from({ length: 100 }, (_, i) => ({ features: [1, 2], label: (i % 4 === 0 ? 1 : 0) as 0 | 1 }));
    const forest = fitForest(rows, { ...BOOST_DEFAULTS, rounds: 20 });
    expect(forestProbability(forest, [1, 2])).toBeCloseTo(0.25, 1);
    expect(forest.trees.every((t) => t.feature.every((f) => f === -1))).toBe(true);
  });

  it('add up the leaves each row reaches', () => {
    const forest: Forest = {
      base: 0.5,
      trees: [
        { feature: [0, -1, -1], threshold: [1, 0, 0], left: [1, -1, -1], right: [2, -1, -1], value: [0, -1, 2] },
        { feature: [-1], threshold: [0], left: [-1], right: [-1], value: [0.25] },
      ],
    };
    expect(forestScore(forest, [1])).toBe(-0.25);
    expect(forestScore(forest, [1.5])).toBe(2.75);
  });
});
