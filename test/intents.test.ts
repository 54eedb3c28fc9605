import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { INTENTS_DIR } from '../src/compose.ts';
import { loadIntents } from '../src/core/dialogue/intents-file.ts';
import { loadVocabulary } from '../src/core/dialogue/vocabulary-file.ts';
import { main } from '../src/cli/main.ts';

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

/** A copy of intents/ with one file changed. */
function intentsWith(file: string, change: (text: string) => string): string {
  const root = mkdtempSync(join(tmpdir(), 'intents-'));
  dirs.push(root);
  const dir = join(root, 'intents');
  cpSync(INTENTS_DIR, dir, { recursive: true });
  writeFileSync(join(dir, file), change(readFileSync(join(dir, file), 'utf8')));
  return dir;
}

const problemsOf = (load: () => unknown) => {
  try {
    load();
  } catch (error) {
    return (error as Error).message;
  }
  return '';
};

describe('intents/ is validated at load', () => {
  it('loads as shipped', () => {
    expect(loadIntents(INTENTS_DIR).map((f) => f.intent).sort()).toEqual(['diagnose', 'explain_step', 'help', 'more_causes', 'not_resolved', 'switch_language', 'thanks']);
    expect(loadVocabulary(INTENTS_DIR).stepNumber('what does step 2 mean?')).toBe(2);
  });

  it('names the file and the field of a vocabulary mistake', () => {
    const dir = intentsWith('vocabulary.yaml', (t) => t.replace(/ordinals:\n {2}en: \[first, second, /u, 'ordinals:\n  en: [first, ').replace('  sv: [fortfarande,', '  sv: 42\n  xx: [fortfarande,'));
    const message = problemsOf(() => loadVocabulary(dir));
    expect(message).toContain('intents/vocabulary.yaml: ordinals.en: must list exactly 10 words, for 1 to 10');
    expect(message).toContain('intents/vocabulary.yaml: still.sv:');
    expect(message).not.toMatch(/\n\s+at /u);
  });

  it('names the file and the field of an intent file mistake', () => {
    const dir = intentsWith('thanks.yaml', (t) => t.replace('intent: thanks', 'intent: thank_you'));
    expect(problemsOf(() => loadIntents(dir))).toContain('intents/thanks.yaml: intent:');
  });

  it('stops the CLI with one line per problem and no stack trace', async () => {
    const dir = intentsWith('vocabulary.yaml', (t) => t.replace('version: 1', 'version: 2'));
    const out: string[] = [];
    const err: string[] = [];
    const { createBot } = await import('../src/compose.ts');
    const code = await main(['ask', 'ID: 34513'], { out: (t) => out.push(t), err: (t) => err.push(t) }, () => createBot({ intentsDir: dir }));
    expect(code).toBe(1);
    expect(err.join('\n')).toContain('intents/vocabulary.yaml: version: must be 1');
    expect(err.join('\n')).not.toMatch(/\n\s+at /u);
    expect(out).toEqual([]);
  });
});
