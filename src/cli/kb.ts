import { resolve } from 'node:path';
import { coverage, type Coverage } from '../core/knowledge/coverage.ts';
import { readKnowledge } from '../core/knowledge/load.ts';
import { formatProblem } from '../core/knowledge/problems.ts';
import { KINDS, LANGUAGES } from '../core/knowledge/schema.ts';
import { parseArgs, UsageError } from './args.ts';
import type { Io } from './main.ts';

const KB_USAGE = `Usage:
  backup-triage kb check [--dir DIR]          validate every knowledge file; print the coverage
  backup-triage kb list [--json] [--dir DIR]  list the entries (--json: one JSON array, for scripts)

DIR is the knowledge folder (default: the project's knowledge/).`;

export function kbCommand(argv: string[], io: Io, defaultDir: string): number {
  const { positionals, flags } = parseArgs(argv, ['json', 'help'], ['dir']);
  if (flags.has('help')) {
    io.out(KB_USAGE);
    return 0;
  }
  const [sub, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  const dirFlag = flags.get('dir');
  const dir = typeof dirFlag === 'string' ? resolve(dirFlag) : defaultDir;
  const result = readKnowledge(dir);

  if (sub === 'check') {
    if (flags.has('json')) throw new UsageError('kb check takes no --json');
    io.out(renderCoverage(coverage(result)));
    if (result.problems.length === 0) {
      io.out('\nkb check: OK');
      return 0;
    }
    io.err(`\nkb check: ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}`);
    for (const problem of result.problems) io.err(`  ${formatProblem(problem)}`);
    return 1;
  }

  if (sub === 'list') {
    if (result.problems.length > 0) {
      io.err(`kb list: the knowledge base has ${result.problems.length} problems; run \`backup-triage kb check\` for the list`);
      return 1;
    }
    const rows = result.entries.map((e) => ({
      id: e.id,
      product: e.product,
      kind: e.kind,
      doc: e.source.doc,
      anchor: e.source.anchor,
      codes: e.codes,
      languages: LANGUAGES.filter((l) => e.locales[l] !== undefined),
    }));
    if (flags.has('json')) {
      io.out(JSON.stringify(rows));
    } else {
      for (const r of rows) io.out(`${r.id.padEnd(52)} ${r.kind.padEnd(6)} ${r.codes.join(', ')}`);
    }
    return 0;
  }

  throw new UsageError(sub === undefined ? 'kb needs a sub-command: check or list' : `unknown kb sub-command "${sub}"`);
}

function renderCoverage(c: Coverage): string {
  const header = ['product', ...KINDS, 'entries', 'codes', 'sections covered'];
  const lines = c.rows.map((r) => [
    r.product,
    ...KINDS.map((k) => String(r.byKind[k])),
    String(r.entries),
    String(r.codes),
    `${r.sections.covered}/${r.sections.total}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const fmt = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
  const table = [fmt(header), ...lines.map(fmt)];
  const langs = LANGUAGES.map((l) => `${l} ${c.languages[l]}/${c.valid}`).join(', ');
  return [
    `Knowledge base: ${c.files} entry files, ${c.valid} valid`,
    '',
    ...table,
    '',
    `Languages complete: ${langs}`,
  ].join('\n');
}
