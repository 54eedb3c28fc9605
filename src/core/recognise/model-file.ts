import { readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { fieldPath, KnowledgeError } from '../knowledge/problems.ts';
import { ModelSchema, type Model } from './model-schema.ts';
import type { Tree } from './trees.ts';
import { CONFIDENCE_FEATURES, FEATURES } from './ranker.ts';

/** Reads the ranker's weights; a missing, damaged or outdated file is one KnowledgeError naming it. */
export function loadModel(path: string): Model {
  const file = `${basename(dirname(path))}/${basename(path)}`;
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'is missing: run `npm run train`' : 'is not valid JSON: run `npm run train`';
    throw new KnowledgeError([{ file, field: '', message: why }]);
  }
  const parsed = ModelSchema.safeParse(data);
  if (!parsed.success) {
    throw new KnowledgeError(parsed.error.issues.map((i) => ({ file, field: fieldPath(i.path), message: i.message })));
  }
  const model = parsed.data;
  const fits = (names: string[], expected: readonly string[], m: { mean: number[]; scale: number[]; weights: number[] }) =>
    names.join() === expected.join() && [m.mean, m.scale, m.weights].every((list) => list.length === expected.length);
  if (!fits(model.features, FEATURES, model.ranker) || model.confidenceFeatures.join() !== CONFIDENCE_FEATURES.join()) {
    throw new KnowledgeError([{ file, field: 'features', message: 'do not match the features the engine computes: run `npm run train`' }]);
  }
  const broken = model.confidence.trees.findIndex((tree) => !wellFormed(tree, CONFIDENCE_FEATURES.length));
  if (broken >= 0) {
    throw new KnowledgeError([{ file, field: `confidence.trees.${broken}`, message: 'is not a well-formed tree: run `npm run train`' }]);
  }
  return model;
}

/** Whether every path of a tree ends at a leaf: split nodes read a feature there is, and point forward to nodes there are. */
function wellFormed(tree: Tree, width: number): boolean {
  const n = tree.feature.length;
  if (n === 0 || [tree.threshold, tree.left, tree.right, tree.value].some((list) => list.length !== n)) return false;
  return tree.feature.every((f, i) => f === -1 || (f < width && [tree.left[i]!, tree.right[i]!].every((child) => child > i && child < n)));
}
