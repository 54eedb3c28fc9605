/**
 * Gradient-boosted decision trees for a yes/no question (logistic loss): the confidence model's
 * form. Training is in `scripts/boost.ts`; the engine only adds up the trees' leaves.
 */

/** One tree, its nodes in arrays: node i splits on `feature[i]` at `threshold[i]` (go left when
 * the value is at most the threshold), or is a leaf (`feature[i]` = -1) worth `value[i]`. */
export interface Tree {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  value: number[];
}

export interface Forest {
  /** The log-odds before any tree. */
  base: number;
  trees: Tree[];
}

/** The forest's log-odds for one feature vector. */
export function forestScore(forest: Forest, features: readonly number[]): number {
  let z = forest.base;
  for (const tree of forest.trees) {
    let i = 0;
    while (tree.feature[i]! >= 0) i = features[tree.feature[i]!]! <= tree.threshold[i]! ? tree.left[i]! : tree.right[i]!;
    z += tree.value[i]!;
  }
  return z;
}

/** The forest's probability for one feature vector. */
export function forestProbability(forest: Forest, features: readonly number[]): number {
  return 1 / (1 + Math.exp(-forestScore(forest, features)));
}
