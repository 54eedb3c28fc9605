import { STRINGS } from '../i18n/strings.ts';
import type { Answer, Block, Rich, StepItem } from './model.ts';
import { isLink } from './rich.ts';

/** Spans as light Markdown: `code`, **bold**, [text](url). */
export function markdown(text: Rich): string {
  return text.map((s) => (isLink(s) ? `[${s.text}](${s.url})` : s.style === 'code' ? `\`${s.text}\`` : s.style === 'bold' ? `**${s.text}**` : s.text)).join('');
}

function fence(code: string, indent: string): string[] {
  return ['```', ...code.split('\n'), '```'].map((l) => `${indent}${l}`);
}

/** A step and its sub-steps and code under a marker ("3. ", "→ "), continuation lines indented under it. */
export function stepLines(step: StepItem, marker: string, indent = ''): string[] {
  const pad = `${indent}${' '.repeat(marker.length)}`;
  const out = [`${indent}${marker}${markdown(step.text)}`];
  step.substeps.forEach((sub, i) => {
    out.push(`${pad}${String.fromCharCode(97 + i)}) ${markdown(sub.text)}`);
    if (sub.code) out.push(...fence(sub.code, `${pad}   `));
  });
  if (step.code) out.push(...fence(step.code, pad));
  return out;
}

function blockText(block: Block, language: Answer['language']): string {
  switch (block.type) {
    case 'notice':
    case 'paragraph':
      return markdown(block.text);
    case 'heading':
      return block.level === 1 ? `*${markdown(block.text)}*` : `${markdown(block.text)}:`;
    case 'meta':
      return [...block.items, ...(block.codes.length ? [block.codes.join(', ')] : [])].join(' · ');
    case 'causes': {
      const lines = [`${STRINGS[language].causes}:`];
      for (const row of block.rows) {
        const mark = row.state ? `  (${block.marks[row.state]})` : '';
        lines.push(`${row.n}. ${markdown(row.cause)}${mark}`);
        if (row.fix) lines.push(...stepLines(row.fix, '→ ', '   '));
      }
      return lines.join('\n');
    }
    case 'steps':
      return block.items.flatMap((step, i) => stepLines(step, `${block.start + i}. `)).join('\n');
    case 'code':
      return fence(block.code, '').join('\n');
    case 'note':
      return `${block.label}: ${markdown(block.text)}`;
    case 'link':
      return `${block.label}: ${block.url}`;
    case 'choices':
      return block.items.map((x) => `${x.n}. ${x.title} (${x.product})`).join('\n');
    case 'divider':
      return '---';
  }
}

/** An answer as plain text with light Markdown: for the terminal, `--json` and notification fallbacks. */
export function renderText(answer: Pick<Answer, 'blocks' | 'language'>): string {
  return joinBlocks(answer.blocks, (block) => blockText(block, answer.language));
}

/** Blocks, each rendered by `render`, one paragraph apart; a heading and what it heads, the title and its small print, sit together. */
export function joinBlocks(blocks: readonly Block[], render: (block: Block) => string): string {
  const parts: string[] = [];
  let previous: Block['type'] | undefined;
  for (const block of blocks) {
    const text = render(block);
    // A heading and what it heads, the title and its small print, sit together.
    const tight = previous === 'heading' && block.type !== 'heading' ? true : block.type === 'meta';
    if (tight && parts.length) parts[parts.length - 1] += `\n${text}`;
    else parts.push(text);
    previous = block.type;
  }
  return parts.join('\n\n');
}
