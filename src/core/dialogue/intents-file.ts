import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { z } from 'zod';
import { INTENTS } from '../answer/model.ts';
import { readOne } from '../knowledge/load.ts';
import { KnowledgeError, type Problem } from '../knowledge/problems.ts';
import { VOCABULARY_FILE } from './vocabulary-file.ts';

// Reading and validating intents/*.yaml; the engine itself needs only the model trained from them.

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

