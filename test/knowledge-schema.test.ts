import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { main } from '../src/cli/main.ts';
import { loadKnowledgeBase, readKnowledge } from '../src/core/knowledge/load.ts';
import { formatProblem, KnowledgeError } from '../src/core/knowledge/problems.ts';
import { applyMutation, copyValidKnowledge, VALID_KB, type Mutation } from './helpers/kb-fixture.ts';

interface FailureCase extends Mutation {
  name: string;
  expect: { file: string; field: string; message: string };
}

const cases = parse(readFileSync(new URL('./fixtures/kb-failures.yaml', import.meta.url), 'utf8')) as FailureCase[];

async function runCli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
});

describe('the fixture knowledge base', () => {
  it('is valid, so each failure below comes from its one change', async () => {
    expect(readKnowledge(VALID_KB).problems).toEqual([]);
    const { code, out } = await runCli(['kb', 'check', '--dir', VALID_KB]);
    expect(code).toBe(0);
    expect(out).toContain('kb check: OK');
  });
});

describe('kb check names the file, the field and what is wrong', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const kb = copyValidKnowledge();
    cleanup = kb.cleanup;
    applyMutation(kb.dir, c);

    const { problems } = readKnowledge(kb.dir);
    const match = problems.find(
      (p) => p.file === c.expect.file && p.field === c.expect.field && p.message.includes(c.expect.message),
    );
    expect(match, `problems were:\n${problems.map(formatProblem).join('\n')}`).toBeDefined();

    const { code, err } = await runCli(['kb', 'check', '--dir', kb.dir]);
    expect(code).toBe(1);
    expect(err).toContain(formatProblem(match!));
    expect(err).not.toMatch(/^\s+at /mu);
  });
});

describe('loading a broken knowledge base for the bot', () => {
  it('throws one KnowledgeError whose message names the file and the field', () => {
    const kb = copyValidKnowledge();
    cleanup = kb.cleanup;
    applyMutation(kb.dir, { file: 'mars/encryption-passphrase.yaml', delete: 'locales.sv' });
    expect(() => loadKnowledgeBase(kb.dir)).toThrow(KnowledgeError);
    expect(() => loadKnowledgeBase(kb.dir)).toThrow('knowledge/mars/encryption-passphrase.yaml: locales.sv: is missing');
  });

  it('reports a missing folder as a problem, not a crash', async () => {
    const { code, err } = await runCli(['kb', 'check', '--dir', '/nonexistent/knowledge']);
    expect(code).toBe(1);
    expect(err).toContain('the knowledge folder does not exist or cannot be read');
  });
});
