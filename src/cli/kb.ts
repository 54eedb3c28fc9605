import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { parseArticle } from '../core/knowledge/article.ts';
import { articleDrift, renderDrift } from '../core/knowledge/drift.ts';
import { coverage, type Coverage } from '../core/knowledge/coverage.ts';
import { readKnowledge } from '../core/knowledge/load.ts';
import { formatProblem } from '../core/knowledge/problems.ts';
import { DOCS, KINDS, LANGUAGES } from '../core/knowledge/terms.ts';
import { CALL_TIMEOUT_MS } from '../server/retry.ts';
import { parseArgs, UsageError } from './args.ts';
import type { Io } from './main.ts';


export async function kbCommand(argv: string[], io: Io, defaultDir: string): Promise<number> {
  const { positionals, flags } = parseArgs(argv, ['json'], ['dir', 'doc']);
  const [sub, ...extra] = positionals;
  if (sub === 'drift') return drift(extra, flags, io, defaultDir);
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

  throw new UsageError(sub === undefined ? 'kb needs a sub-command: check, list or drift' : `unknown kb sub-command "${sub}"`);
}

/** The raw markdown behind a Learn or GitHub address of an article. */
export function rawArticleUrl(address: string): string | undefined {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:') return undefined;
  const learn = /^\/[a-z]{2}-[a-z]{2}\/azure\/backup\/([a-z0-9-]+)\/?$/u.exec(url.pathname);
  if (url.hostname === 'learn.microsoft.com' && learn) return `https://raw.githubusercontent.com/MicrosoftDocs/azure-docs/main/articles/backup/${learn[1]}.md`;
  const blob = /^\/([\w.-]+)\/([\w.-]+)\/blob\/(.+\.md)$/u.exec(url.pathname);
  if (url.hostname === 'github.com' && blob) return `https://raw.githubusercontent.com/${blob[1]}/${blob[2]}/${blob[3]}`;
  if (url.hostname === 'raw.githubusercontent.com' && url.pathname.endsWith('.md')) return url.href;
  return undefined;
}

async function readArticle(source: string): Promise<string> {
  if (!/^https?:\/\//u.test(source)) return readFileSync(source, 'utf8');
  const raw = rawArticleUrl(source);
  if (!raw) throw new Error(`${source} is not a learn.microsoft.com Azure Backup article or a GitHub markdown file`);
  const res = await fetch(raw, { signal: AbortSignal.timeout(CALL_TIMEOUT_MS) });
  if (!res.ok) throw new Error(`${raw} answered ${res.status}`);
  return res.text();
}

async function drift(args: string[], flags: Map<string, string | true>, io: Io, defaultDir: string): Promise<number> {
  const [source, ...extra] = args;
  if (!source) throw new UsageError('kb drift needs an article: a markdown file or its learn.microsoft.com or github.com address');
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  const docFlag = flags.get('doc');
  const doc = typeof docFlag === 'string' ? docFlag : basename(new URL(source, 'file:///').pathname).replace(/\.md$/u, '');
  if (!(DOCS as readonly string[]).includes(doc)) throw new UsageError(`cannot tell which article "${source}" is: name it with --doc (${DOCS.join(', ')})`);
  const dirFlag = flags.get('dir');
  const result = readKnowledge(typeof dirFlag === 'string' ? resolve(dirFlag) : defaultDir);
  if (!result.sources) {
    io.err('kb drift: the knowledge base has no valid sources.yaml; run `backup-triage kb check`');
    return 2;
  }
  let markdown: string;
  try {
    markdown = await readArticle(source);
  } catch (error) {
    io.err(`kb drift: cannot read ${source}: ${(error as Error).message}`);
    return 2;
  }
  const d = articleDrift(parseArticle(markdown), doc, result.sources, result.entries);
  io.out(flags.has('json') ? JSON.stringify(d) : renderDrift(d));
  return d.inSync ? 0 : 1;
}

function renderCoverage(c: Coverage): string {
  const header = ['product', ...KINDS, 'entries', 'codes', 'sections covered', 'article', 'seeds', 'entries current'];
  const lines = c.rows.map((r) => [
    r.product,
    ...KINDS.map((k) => String(r.byKind[k])),
    String(r.entries),
    String(r.codes),
    `${r.sections.covered}/${r.sections.total}`,
    r.versions?.article ?? '',
    r.versions?.seeds ?? '',
    r.versions ? `${r.versions.current}/${r.entries}` : '',
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
