import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MODEL_FILE } from '../src/compose.ts';
import { loadModel } from '../src/core/recognise/model-file.ts';
import { FEATURES } from '../src/core/recognise/ranker.ts';
import { trainingInputsHash } from '../scripts/training-data.ts';

describe('the ranker model', () => {
  it('was trained from the corpus, knowledge and feature code in the repo (else run `npm run train`)', () => {
    const model = loadModel(MODEL_FILE);
    expect(model.inputs, 'model/ranker.json is stale: run `npm run train` and commit it').toBe(trainingInputsHash());
    expect(model.features).toEqual([...FEATURES]);
    expect(model.thresholds.answer).toBeGreaterThanOrEqual(model.thresholds.suggest);
  });

  it('refuses a damaged model file with one line naming it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'model-'));
    try {
      const path = join(dir, 'ranker.json');
      writeFileSync(path, JSON.stringify({ ...loadModel(MODEL_FILE), features: ['rec_score'] }));
      expect(() => loadModel(path)).toThrow(/ranker\.json: features: do not match the features the engine computes: run `npm run train`/u);
      // A tree whose split points back at itself would never reach a leaf.
      const model = loadModel(MODEL_FILE);
      const split = model.confidence.trees.findIndex((t) => t.feature[0]! >= 0);
      const trees = model.confidence.trees.map((t, i) => (i === split ? { ...t, left: t.left.map((c, j) => (j === 0 ? 0 : c)) } : t));
      writeFileSync(path, JSON.stringify({ ...model, confidence: { ...model.confidence, trees } }));
      expect(() => loadModel(path)).toThrow(new RegExp(`ranker\\.json: confidence\\.trees\\.${split}: is not a well-formed tree: run \`npm run train\``, 'u'));
      writeFileSync(path, '{ not json');
      expect(() => loadModel(path)).toThrow(/ranker\.json: is not valid JSON/u);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
