import Table from 'cli-table3';
import { createColors } from 'picocolors';
import wrapAnsi from 'wrap-ansi';
import type { Answer, Block, Rich, StepItem } from '../core/answer/model.ts';
import { joinBlocks } from '../core/answer/render-text.ts';
import { isLink } from '../core/answer/rich.ts';

type Colors = ReturnType<typeof createColors>;

/** How the terminal shows an answer: in colour or not, and how wide. */
export interface TerminalStyle {
  color: boolean;
  width: number;
}

/** Output that is not a terminal (a pipe, a file) is plain and this wide. */
const PIPE_WIDTH = 100;
const MIN_WIDTH = 40;
const URL = /\bhttps?:\/\/\S+[^\s.,;:!?)\]'"]/gu;

/**
 * Colour on a terminal unless NO_COLOR is set (https://no-color.org); FORCE_COLOR turns it on
 * anywhere. The width is the terminal's.
 */
export function terminalStyle(stream: { isTTY?: boolean; columns?: number }, env: NodeJS.ProcessEnv = process.env): TerminalStyle {
  const tty = stream.isTTY === true;
  const forced = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  const color = forced || (tty && !env.NO_COLOR && env.TERM !== 'dumb');
  return { color, width: Math.max(MIN_WIDTH, tty && stream.columns ? stream.columns : PIPE_WIDTH) };
}

/**
 * Links in a table cell are listed under the table, whole, and marked in the cell as [link 1],
 * [link 2]: a bare [1] could be the text's own (VSS lists a writer's state as "[1] Stable").
 */
class Footnotes {
  readonly urls: string[] = [];
  mark(url: string): string {
    const at = this.urls.indexOf(url);
    return `[link ${(at === -1 ? this.urls.push(url) : at + 1).toString()}]`;
  }
}

class Renderer {
  private readonly c: Colors;
  constructor(private readonly style: TerminalStyle) {
    this.c = createColors(style.color);
  }

  /** Spans styled; a link shows its address after its text, or as a footnote inside a table. */
  rich(text: Rich, notes?: Footnotes): string {
    return text
      .map((s) => {
        if (isLink(s)) {
          if (notes) return `${s.text} ${this.c.blue(notes.mark(s.url))}`;
          return s.text === s.url ? this.c.underline(this.c.blue(s.url)) : `${s.text} (${this.c.underline(this.c.blue(s.url))})`;
        }
        if (s.style === 'code') return this.c.cyan(notes ? s.text.replace(URL, (u) => notes.mark(u)) : s.text);
        const plain = notes ? s.text.replace(URL, (u) => this.c.blue(notes.mark(u))) : s.text.replace(URL, (u) => this.c.underline(this.c.blue(u)));
        return s.style === 'bold' ? this.c.bold(plain) : plain;
      })
      .join('');
  }

  /** Text wrapped to the width, every line after the first indented by `hang`; words are never cut. */
  wrap(text: string, indent: string, hang = indent, width = this.style.width): string {
    const room = Math.max(MIN_WIDTH / 2, width - hang.length);
    return wrapAnsi(text, room, { hard: false, trim: true })
      .split('\n')
      .map((line, i) => (i === 0 ? indent : hang) + line)
      .join('\n');
  }

  /** Code as written, line by line, in its own colour behind a bar: never wrapped, so it copies whole. */
  code(code: string, indent: string): string {
    return code
      .split('\n')
      .map((line) => `${indent}${this.c.dim('│')} ${this.c.cyan(line)}`)
      .join('\n');
  }

  step(step: StepItem, marker: string, indent = ''): string {
    const hang = `${indent}${' '.repeat(marker.length)}`;
    const out = [this.wrap(this.rich(step.text), `${indent}${this.c.bold(marker)}`, hang)];
    step.substeps.forEach((sub, i) => {
      const letter = `${String.fromCharCode(97 + i)}) `;
      out.push(this.wrap(this.rich(sub.text), `${hang}${letter}`, `${hang}${' '.repeat(letter.length)}`));
      if (sub.code) out.push(this.code(sub.code, `${hang}   `));
    });
    if (step.code) out.push(this.code(step.code, hang));
    return out.join('\n');
  }

  /** A step inside a table cell: wrapped to the cell, long words broken rather than cut off. */
  cellStep(step: StepItem, width: number, notes: Footnotes): string {
    const fit = (text: string) => wrapAnsi(text, width, { hard: true, trim: true });
    const out = [fit(this.rich(step.text, notes))];
    step.substeps.forEach((sub, i) => {
      out.push(fit(`${String.fromCharCode(97 + i)}) ${this.rich(sub.text, notes)}`));
      if (sub.code) out.push(fit(this.c.cyan(sub.code)));
    });
    if (step.code) out.push(fit(this.c.cyan(step.code)));
    return out.join('\n');
  }

  causes(block: Extract<Block, { type: 'causes' }>): string {
    const notes = new Footnotes();
    // Two columns and their borders: a third of the room for the cause, the rest for its fix.
    const room = Math.max(MIN_WIDTH, this.style.width) - 7;
    const causeWidth = Math.max(14, Math.floor(room / 3));
    const fixWidth = room - causeWidth;
    const table = new Table({
      head: block.columns.map((h) => this.c.bold(h)),
      colWidths: [causeWidth + 2, fixWidth + 2],
      wordWrap: false,
      style: { head: [], border: this.style.color ? ['grey'] : [] },
    });
    for (const row of block.rows) {
      const mark = row.state ? ` ${this.c.yellow(`(${block.marks[row.state]})`)}` : '';
      const cause = wrapAnsi(`${row.n}. ${this.rich(row.cause, notes)}${mark}`, causeWidth, { hard: true, trim: true });
      table.push([cause, row.fix ? this.cellStep(row.fix, fixWidth, notes) : '']);
    }
    const out = [table.toString()];
    notes.urls.forEach((url, i) => out.push(`${this.c.blue(`[link ${(i + 1).toString()}]`)} ${this.c.underline(url)}`));
    return out.join('\n');
  }

  block(block: Block): string {
    const c = this.c;
    switch (block.type) {
      case 'notice':
      case 'paragraph':
        return this.wrap(this.rich(block.text), '');
      case 'heading':
        return this.wrap(block.level === 1 ? c.bold(c.cyan(this.rich(block.text))) : c.bold(this.rich(block.text)), '');
      case 'meta':
        return this.wrap(c.dim([...block.items, ...(block.codes.length ? [block.codes.join(', ')] : [])].join(' · ')), '');
      case 'causes':
        return this.causes(block);
      case 'steps':
        return block.items.map((step, i) => this.step(step, `${(block.start + i).toString()}. `)).join('\n');
      case 'code':
        return this.code(block.code, '');
      case 'note':
        return this.wrap(`${c.bold(`${block.label}:`)} ${this.rich(block.text)}`, '', '  ');
      case 'link':
        // The address on a line of its own: wrapping or cutting it would break it.
        return `${c.bold(`${block.label}:`)}\n${c.underline(c.blue(block.url))}`;
      case 'choices':
        return block.items.map((x) => this.wrap(`${x.title} ${c.dim(`(${x.product})`)}`, c.bold(`${x.n.toString()}. `), '   ')).join('\n');
      case 'divider':
        return c.dim('─'.repeat(Math.min(this.style.width, 60)));
    }
  }
}

/** An answer for a terminal: styled spans, the cause table as a table, numbered steps, code apart. */
export function renderTerminal(answer: Pick<Answer, 'blocks'>, style: TerminalStyle): string {
  const r = new Renderer(style);
  return joinBlocks(answer.blocks, (block) => r.block(block));
}
