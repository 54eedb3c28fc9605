/**
 * Fits gradient-boosted trees with logistic loss (src/core/recognise/trees.ts), deterministically:
 * each feature's candidate split points are fixed quantiles of its values, every split is the best
 * by second-order gain (ties to the lower feature and point), and leaves take the Newton step,
 * shrunk by the learning rate. The same rows give the same forest.
 */
import type { Forest, Tree } from '../src/core/recognise/trees.ts';

export interface BoostOptions {
  rounds: number;
  depth: number;
  rate: number;
  /** L2 penalty on leaf values. */
  lambda: number;
  /** The least hessian (about: examples that are still uncertain) a leaf may hold. */
  minChild: number;
  /** Candidate split points per feature. */
  bins: number;
}

export const BOOST_DEFAULTS: BoostOptions = { rounds: 150, depth: 3, rate: 0.1, lambda: 1, minChild: 5, bins: 32 };

/** Up to `bins` - 1 split points per feature: midpoints between distinct values at quantiles. */
function splitPoints(values: number[], bins: number): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  const distinct = [...new Set(sorted)];
  if (distinct.length <= 1) return [];
  if (distinct.length <= bins) return distinct.slice(1).map((v, i) => (distinct[i]! + v) / 2);
  const points = new Set<number>();
  for (let b = 1; b < bins; b += 1) {
    const at = sorted[Math.floor((b * sorted.length) / bins)]!;
    const next = distinct.find((v) => v > at);
    if (next !== undefined) points.add((at + next) / 2);
  }
  return [...points].sort((a, b) => a - b);
}

export function fitForest(rows: { features: number[]; label: 0 | 1 }[], options: BoostOptions = BOOST_DEFAULTS): Forest {
  const n = rows.length;
  const width = rows[0]?.features.length ?? 0;
  const mean = rows.reduce((s, r) => s + r.label, 0) / Math.max(1, n);
  const clipped = Math.min(1 - 1e-6, Math.max(1e-6, mean));
  const base = Math.log(clipped / (1 - clipped));
  if (n === 0 || width === 0) return { base, trees: [] };

  // Each value's bin: the number of split points below it.
  const points = Array.from({ length: width }, (_, j) => splitPoints(rows.map((r) => r.features[j]!), options.bins));
  const bin = new Uint8Array(n * width);
  rows.forEach((r, i) => {
    for (let j = 0; j < width; j += 1) {
      const ps = points[j]!;
      let lo = 0;
      let hi = ps.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (r.features[j]! > ps[mid]!) lo = mid + 1;
        else hi = mid;
      }
      bin[i * width + j] = lo;
    }
  });

  const z = new Float64Array(n).fill(base);
  const g = new Float64Array(n);
  const h = new Float64Array(n);
  const trees: Tree[] = [];
  for (let round = 0; round < options.rounds; round += 1) {
    for (let i = 0; i < n; i += 1) {
      const p = 1 / (1 + Math.exp(-z[i]!));
      g[i] = rows[i]!.label - p;
      h[i] = Math.max(1e-12, p * (1 - p));
    }
    const tree: Tree = { feature: [], threshold: [], left: [], right: [], value: [] };
    const leafOf = new Int32Array(n);
    const grow = (members: number[], depth: number): number => {
      const node = tree.feature.length;
      tree.feature.push(-1);
      tree.threshold.push(0);
      tree.left.push(-1);
      tree.right.push(-1);
      tree.value.push(0);
      let G = 0;
      let H = 0;
      for (const i of members) {
        G += g[i]!;
        H += h[i]!;
      }
      const leaf = () => {
        tree.value[node] = (options.rate * G) / (H + options.lambda);
        for (const i of members) leafOf[i] = node;
        return node;
      };
      if (depth >= options.depth || H < 2 * options.minChild) return leaf();
      const parent = (G * G) / (H + options.lambda);
      let best = { gain: 1e-9, feature: -1, split: -1 };
      for (let j = 0; j < width; j += 1) {
        const count = points[j]!.length;
        if (count === 0) continue;
        const gs = new Float64Array(count + 1);
        const hs = new Float64Array(count + 1);
        for (const i of members) {
          const b = bin[i * width + j]!;
          gs[b]! += g[i]!;
          hs[b]! += h[i]!;
        }
        let GL = 0;
        let HL = 0;
        for (let s = 0; s < count; s += 1) {
          GL += gs[s]!;
          HL += hs[s]!;
          const HR = H - HL;
          if (HL < options.minChild || HR < options.minChild) continue;
          const GR = G - GL;
          const gain = (GL * GL) / (HL + options.lambda) + (GR * GR) / (HR + options.lambda) - parent;
          if (gain > best.gain) best = { gain, feature: j, split: s };
        }
      }
      if (best.feature < 0) return leaf();
      tree.feature[node] = best.feature;
      tree.threshold[node] = points[best.feature]![best.split]!;
      const left = members.filter((i) => bin[i * width + best.feature]! <= best.split);
      const right = members.filter((i) => bin[i * width + best.feature]! > best.split);
      tree.left[node] = grow(left, depth + 1);
      tree.right[node] = grow(right, depth + 1);
      return node;
    };
    grow(
      Array.from({ length: n }, (_, i) => i),
      0,
    );
    for (let i = 0; i < n; i += 1) z[i]! += tree.value[leafOf[i]!]!;
    trees.push(tree);
  }
  // Nine decimals: the model file stays short, and the same on every machine.
  const round = (x: number) => Math.round(x * 1e9) / 1e9;
  return { base: round(base), trees: trees.map((t) => ({ ...t, threshold: t.threshold.map(round), value: t.value.map(round) })) };
}
