import type { Article } from './article.ts';
import type { Entry, Sources } from './schema.ts';

/** How an article differs from what the knowledge says about it. */
export interface Drift {
  doc: string;
  /** The article's `ms.date`, and the one `sources.yaml` lists for it. */
  articleDate?: string;
  listedDate: string;
  /** Sections of the article that `sources.yaml` doesn't list. */
  newSections: { anchor: string; title: string }[];
  /** Sections `sources.yaml` lists that the article no longer has. */
  goneSections: { anchor: string; title: string }[];
  /** Error messages of the article that no entry holds, as a message or in its title (new or reworded). */
  changedMessages: { section: string; text: string }[];
  /** Error codes of the article that no entry carries. */
  unindexedCodes: string[];
  /** Entries of this article that follow another version of it. */
  olderEntries: { id: string; date: string }[];
  inSync: boolean;
}

/** Words of a message, for comparing two wordings of it. */
function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[’']/gu, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

/** True when one wording holds the other, or they share nearly all their words. */
function sameMessage(a: string[], b: string[]): boolean {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (short.length === 0) return false;
  if (` ${long.join(' ')} `.includes(` ${short.join(' ')} `)) return true;
  const set = new Set(long);
  const shared = short.filter((w) => set.has(w)).length;
  return (2 * shared) / (short.length + long.length) >= 0.85;
}

/** Compares an article with `sources.yaml` and the entries of its doc. */
export function articleDrift(article: Article, doc: string, sources: Sources, entries: readonly Entry[]): Drift {
  const listed = sources.docs.find((d) => d.doc === doc);
  const sections = listed?.sections ?? [];
  const anchors = new Set(article.sections.map((s) => s.anchor));
  const known = new Set(sections.map((s) => s.anchor));
  const ofDoc = entries.filter((e) => e.source.doc === doc);
  // An alert the article prints as only its title ("Online recovery point creation failed") is held
  // by the entries whose title begins with it.
  const messages = ofDoc.flatMap((e) => [...(e.locales.en.messages ?? []), e.locales.en.title].map(words));
  const codes = new Set(entries.flatMap((e) => e.codes.map((c) => c.toLowerCase())));
  const listedDate = listed?.date ?? '';

  const drift: Drift = {
    doc,
    ...(article.date ? { articleDate: article.date } : {}),
    listedDate,
    newSections: article.sections.filter((s) => !known.has(s.anchor)).map(({ anchor, title }) => ({ anchor, title })),
    goneSections: sections.filter((s) => !anchors.has(s.anchor)).map(({ anchor, title }) => ({ anchor, title })),
    changedMessages: article.messages.filter((m) => !messages.some((w) => sameMessage(words(m.text), w))),
    unindexedCodes: article.codes.filter((c) => !codes.has(c.toLowerCase())),
    olderEntries: ofDoc.filter((e) => e.source.date !== (article.date ?? listedDate)).map((e) => ({ id: e.id, date: e.source.date })),
    inSync: false,
  };
  drift.inSync =
    (article.date === undefined || article.date === listedDate) &&
    drift.newSections.length + drift.goneSections.length + drift.changedMessages.length + drift.unindexedCodes.length + drift.olderEntries.length === 0;
  return drift;
}

/** The drift as lines for a person. */
export function renderDrift(d: Drift): string {
  const lines = [`${d.doc}: the article is dated ${d.articleDate ?? 'unknown'}; sources.yaml lists ${d.listedDate}`];
  const list = (title: string, items: string[]) => {
    if (items.length === 0) return;
    lines.push('', `${title} (${items.length}):`, ...items.map((i) => `  ${i}`));
  };
  list('new sections', d.newSections.map((s) => `${s.anchor}  "${s.title}"`));
  list('sections that are gone', d.goneSections.map((s) => `${s.anchor}  "${s.title}"`));
  list('error messages no entry holds', d.changedMessages.map((m) => `[${m.section}] ${m.text}`));
  list('codes no entry carries', d.unindexedCodes);
  list('entries that follow another version', d.olderEntries.map((e) => `${e.id} (${e.date})`));
  lines.push('', d.inSync ? 'in sync' : 'drift: update knowledge/ and sources.yaml');
  return lines.join('\n');
}
