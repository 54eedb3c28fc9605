import { join, relative, sep } from 'node:path';
import { z } from 'zod';
import { readOne } from '../knowledge/load.ts';
import { KnowledgeError, type Problem } from '../knowledge/problems.ts';
import { compileVocabulary, type Vocabulary } from './vocabulary.ts';

// Reading and validating intents/vocabulary.yaml; the engine itself needs only what it holds.

export const VOCABULARY_FILE = 'vocabulary.yaml';

const word = z.string().trim().min(1, { error: 'must not be empty' }).max(40, { error: 'must be at most 40 characters' });
const words = z.array(word).min(1, { error: 'needs at least one word' });
const perLanguage = z.strictObject({ en: words, nl: words, sv: words });
const tenWords = z.array(word).length(10, { error: 'must list exactly 10 words, for 1 to 10' });

export const VocabularySchema = z.strictObject({
  version: z.literal(1, { error: 'must be 1' }),
  step_words: perLanguage,
  ordinals: z.strictObject({ en: tenWords, nl: tenWords, sv: tenWords }),
  numbers: z.strictObject({ en: tenWords, nl: tenWords, sv: tenWords }),
  last: perLanguage,
  language_names: perLanguage,
  product_names: z.strictObject({ mars: words, mabs: words, iaasvm: words }),
  tried: perLanguage,
  concepts: z.array(z.strictObject({ marks: words, words: perLanguage })),
  still: perLanguage,
  synonyms: z.array(z.array(word).min(2, { error: 'a group needs at least 2 words' })),
});
export type VocabularyFile = z.infer<typeof VocabularySchema>;

/** Reads `intents/vocabulary.yaml`; throws a KnowledgeError naming the file and field of every problem. */
export function loadVocabulary(dir: string): Vocabulary {
  return compileVocabulary(readVocabulary(dir));
}

/** Reads and validates `intents/vocabulary.yaml`; a problem is a KnowledgeError naming the field. */
export function readVocabulary(dir: string): VocabularyFile {
  const problems: Problem[] = [];
  const show = (p: string) => relative(join(dir, '..'), p).split(sep).join('/');
  const file = readOne(join(dir, VOCABULARY_FILE), VocabularySchema, show, problems);
  if (!file || problems.length > 0) throw new KnowledgeError(problems);
  return file;
}
