import type { Intent } from '../answer/model.ts';
import type { IntentFile } from './intents-file.ts';
import { LANGUAGES } from '../knowledge/terms.ts';
import { createBayesClassifier, restoreBayesClassifier, stem, tokenize } from '../nlp/natural.ts';

export type { IntentFile } from './intents-file.ts';

/** The features of a text: its words stemmed for every language (the writer's is not known yet). */
export function features(text: string): string[] {
  const out = new Set<string>();
  for (const token of tokenize(text)) {
    if (/^\d+$/u.test(token)) {
      out.add('#num');
      continue;
    }
    for (const language of LANGUAGES) out.add(stem(token, language));
  }
  return [...out];
}

export interface IntentClassifier {
  classify(text: string): { intent: Intent; confidence: number }[];
}

/** The trained naive Bayes classifier as plain data: what a build stores and start-up restores. */
export type IntentModel = Record<string, unknown>;

/** Learns the naive Bayes classifier from the phrases. */
export function trainIntentModel(files: IntentFile[]): IntentModel {
  const classifier = createBayesClassifier();
  for (const file of files) {
    for (const language of LANGUAGES) {
      for (const p of file.phrases[language]) classifier.addDocument(features(p), file.intent);
    }
  }
  classifier.train();
  // The training documents are not needed to classify: a model without them is a fifth the size.
  const model = JSON.parse(JSON.stringify(classifier)) as IntentModel;
  return { ...model, docs: [] };
}

/** The classifier a trained model stands for. */
export function intentClassifier(model: IntentModel): IntentClassifier {
  const classifier = restoreBayesClassifier(structuredClone(model));
  // natural turns a message into its feature vector by walking every known feature for each one;
  // the vector is made here from the message's own features instead (the same vector).
  const known = Object.keys(classifier.features);
  const position = new Map(known.map((f, i) => [f, i]));
  return {
    classify(text) {
      const vector = new Array<number>(known.length).fill(0);
      for (const f of features(text)) {
        const i = position.get(f);
        if (i !== undefined) vector[i] = 1;
      }
      const scored = classifier.classifier.getClassifications(vector);
      const total = scored.reduce((sum, s) => sum + s.value, 0) || 1;
      return scored.map((s) => ({ intent: s.label as Intent, confidence: s.value / total }));
    },
  };
}
