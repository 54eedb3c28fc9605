/**
 * A troubleshooting article in the MicrosoftDocs markdown format, reduced to what the knowledge
 * follows: its version (`ms.date`), its sections with their anchors, the error messages it prints,
 * and the error codes it names.
 */
export interface ArticleSection {
  anchor: string;
  title: string;
  level: number;
}

export interface ArticleMessage {
  /** The anchor of the section the message stands in. */
  section: string;
  text: string;
}

export interface Article {
  /** `ms.date` as YYYY-MM-DD, when the front matter has one. */
  date?: string;
  title?: string;
  sections: ArticleSection[];
  messages: ArticleMessage[];
  codes: string[];
}

/**
 * Learn's id for a heading: lower case, punctuation dropped, each white-space character a hyphen
 * (so " - " becomes "---"); a repeated id gets "-1", "-2", ….
 */
export function headingAnchor(title: string, seen: Map<string, number> = new Map()): string {
  const base = strip(title)
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/gu, '-');
  const n = seen.get(base);
  seen.set(base, (n ?? -1) + 1);
  return n === undefined ? base : `${base}-${n + 1}`;
}

/** Markdown and HTML reduced to their text, white space as it was. */
function strip(text: string): string {
  return text
    .replace(/<[^<>]{0,200}>/gu, ' ')
    .replace(/!?\[([^[\]]{0,500})\]\([^()\s]{0,2000}\)/gu, '$1')
    .replace(/[*`]/gu, '')
    .replace(/\\([<>*_])/gu, '$1');
}

/** Markdown and HTML reduced to their text, on one line. */
function plain(text: string): string {
  return strip(text).replace(/\s+/gu, ' ').trim();
}

/** The pieces of a cell or line that `<br>` and list dashes separate. */
function pieces(cell: string): string[] {
  return cell
    .split(/<br\s?\/?>|<\/?li>|<\/?[ou]l>/iu)
    .map((p) => plain(p).replace(/^[-•] /u, '').trim())
    .filter((p) => p.length > 0);
}

const CODE_WORD = /\b(?:UserError|Extension|VMRestorePoint|VmNotIn|CopyingVHDs|BCMV2|CBP|Sal[A-Z]|AzureVm|ResourceNotFound)[A-Za-z0-9]{3,80}\b/gu;
const NUMERIC_ID = /\(ID:? ?(\d{3,6})\)|\bID: ?(\d{3,6})\b|\bError: ?(\d{3,6})\b|\berror (\d{3,6})\b/giu;
const HEX = /\b0x[0-9A-Fa-f]{8}\b/gu;
const LABELLED_MESSAGE = /^(?:error message|error details)\s?:\s?(.{3,2000})$/iu;

function collectCodes(text: string, into: Set<string>): void {
  for (const m of text.matchAll(CODE_WORD)) into.add(m[0]);
  for (const m of text.matchAll(NUMERIC_ID)) into.add((m[1] ?? m[2] ?? m[3] ?? m[4])!);
  for (const m of text.matchAll(HEX)) into.add(m[0].toLowerCase());
}

function splitRow(line: string): string[] {
  return line.trim().replace(/^\|/u, '').replace(/\|$/u, '').split('|').map((c) => c.trim());
}

/** Reads an article. Never throws: text that isn't an article gives one with nothing in it. */
export function parseArticle(markdown: string): Article {
  const lines = markdown.replace(/\r\n?/gu, '\n').split('\n');
  const article: Article = { sections: [], messages: [], codes: [] };
  const codes = new Set<string>();
  const seen = new Map<string, number>();
  let section = '';
  let inFrontMatter = lines[0]?.trim() === '---';
  let inFence = false;
  let header: string[] | undefined;

  const addMessage = (text: string) => {
    const t = text.replace(/\s+/gu, ' ').trim();
    if (t.length >= 12 && !article.messages.some((m) => m.section === section && m.text === t)) article.messages.push({ section, text: t });
  };

  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (inFrontMatter) {
      if (i > 0 && line === '---') inFrontMatter = false;
      const date = /^ms\.date:\s?(\d{1,2})\/(\d{1,2})\/(\d{4})/u.exec(line);
      if (date) article.date = `${date[3]}-${date[1]!.padStart(2, '0')}-${date[2]!.padStart(2, '0')}`;
      continue;
    }
    if (line.startsWith('```')) {
      inFence = !inFence;
      continue;
    }
    if (inFence) continue;

    const heading = /^(#{1,4}) (.+)$/u.exec(line);
    if (heading) {
      header = undefined;
      const level = heading[1]!.length;
      const title = plain(heading[2]!);
      if (level === 1) {
        article.title = title;
        continue;
      }
      section = headingAnchor(heading[2]!, seen);
      article.sections.push({ anchor: section, title, level });
      // The code part of a heading; a code broken by a stray space ("…LaunchVM ToNonTrustedVM…") is joined.
      collectCodes((title.split(' - ')[0] ?? '').replace(/([A-Za-z0-9]) (?=[A-Z][a-z]+[A-Z])/gu, '$1'), codes);
      continue;
    }

    if (line.startsWith('|')) {
      const cells = splitRow(line);
      if (cells.every((c) => /^:?-{3,}:?$/u.test(c))) continue;
      if (!header) {
        header = cells.map((c) => plain(c).toLowerCase());
        continue;
      }
      const errorColumn = header.findIndex((h) => /^(?:error|error details|error message)$/u.test(h));
      const codeColumn = header.findIndex((h) => h === 'error code');
      cells.forEach((cell, c) => {
        if (c === codeColumn || c === errorColumn) collectCodes(plain(cell), codes);
        if (c !== errorColumn) return;
        for (const piece of pieces(cell)) {
          const labelled = LABELLED_MESSAGE.exec(piece);
          if (/^error code\s?:/iu.test(piece)) continue;
          addMessage(labelled ? labelled[1]! : piece);
        }
      });
      continue;
    }
    header = undefined;

    for (const piece of pieces(line)) {
      const labelled = LABELLED_MESSAGE.exec(piece);
      if (labelled) {
        addMessage(labelled[1]!);
        collectCodes(labelled[1]!, codes);
      }
      const code = /^error code\s?:\s?(.{3,300})$/iu.exec(piece);
      if (code) collectCodes(code[1]!, codes);
    }
  }
  article.codes = [...codes].sort();
  return article;
}
