import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { z } from 'zod';
import { INTENTS, type Intent } from '../answer/model.ts';
import { readOne } from '../knowledge/load.ts';
import { KnowledgeError, type Problem } from '../knowledge/problems.ts';
import { LANGUAGES } from '../knowledge/schema.ts';
import { VOCABULARY_FILE } from './vocabulary.ts';
import { createBayesClassifier, restoreBayesClassifier, stem, tokenize } from '../nlp/natural.ts';

const phrase = z.string().trim().min(1, { error: 'must not be empty' }).max(200, { error: 'must be at most 200 characters' });
const phrases = z.array(phrase).min(5, { error: 'needs at least 5 phrases' });

export const IntentFileSchema = z.strictObject({
  version: z.literal(1, { error: 'must be 1' }),
  intent: z.enum(INTENTS),
  description: z.string().trim().min(1),
  phrases: z.strictObject({ en: phrases, nl: phrases, sv: phrases }),
});
export type IntentFile = z.infer<typeof IntentFileSchema>;

/** Reads `intents/*.yaml`; throws one KnowledgeError naming the file and field of every problem. */
export function loadIntents(dir: string): IntentFile[] {
  const problems: Problem[] = [];
  const files: IntentFile[] = [];
  const show = (p: string) => relative(join(dir, '..'), p).split(sep).join('/');
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.yaml') && n !== VOCABULARY_FILE).sort();
  } catch {
    throw new KnowledgeError([{ file: show(dir), field: '', message: 'the intents folder does not exist or cannot be read' }]);
  }
  for (const name of names) {
    const path = join(dir, name);
    const file = readOne(path, IntentFileSchema, show, problems);
    if (!file) continue;
    if (`${file.intent}.yaml` !== name) {
      problems.push({ file: show(path), field: 'intent', message: `must be "${name.slice(0, -5)}" (the file name)` });
      continue;
    }
    files.push(file);
  }
  for (const intent of INTENTS) {
    if (!files.some((f) => f.intent === intent)) problems.push({ file: show(join(dir, `${intent}.yaml`)), field: '', message: 'file is missing' });
  }
  if (problems.length > 0) throw new KnowledgeError(problems);
  return files;
}

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
  return JSON.parse(JSON.stringify(classifier)) as IntentModel;
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
