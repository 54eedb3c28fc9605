import type { ReadResult } from './load.ts';
import { KINDS, LANGUAGES, PRODUCT_DOC, PRODUCTS, type Kind, type Language, type Product } from './terms.ts';
import type { Entry } from './schema.ts';

export interface CoverageRow {
  product: Product | 'total';
  byKind: Record<Kind, number>;
  entries: number;
  codes: number;
  /** Sections of the product's article that need an entry, and how many have one. */
  sections: { covered: number; total: number };
  /** The dates (`ms.date`) of the current article and of the seeds, and how many entries follow the current one. */
  versions?: { article: string; seeds: string; current: number };
}

export interface Coverage {
  rows: CoverageRow[];
  /** Entries complete in each language (entries that passed the schema have all three). */
  languages: Record<Language, number>;
  files: number;
  valid: number;
}

export function coverage(result: ReadResult): Coverage {
  const rowFor = (product: Product | 'total', entries: Entry[]): CoverageRow => {
    const byKind = Object.fromEntries(KINDS.map((k) => [k, entries.filter((e) => e.kind === k).length])) as Record<Kind, number>;
    const codes = new Set(entries.flatMap((e) => e.codes.map((c) => `${e.product}:${c.toLowerCase()}`))).size;
    const docs = result.sources?.docs.filter((d) => product === 'total' || d.doc === PRODUCT_DOC[product]) ?? [];
    let covered = 0;
    let total = 0;
    for (const doc of docs) {
      for (const section of doc.sections) {
        if (section.skip) continue;
        total += 1;
        if (entries.some((e) => e.source.doc === doc.doc && e.source.anchor === section.anchor)) covered += 1;
      }
    }
    const [doc] = docs;
    const current = entries.filter((e) => docs.some((d) => d.doc === e.source.doc && d.date === e.source.date)).length;
    const versions = product !== 'total' && doc ? { article: doc.date, seeds: doc.seedDate, current } : undefined;
    return { product, byKind, entries: entries.length, codes, sections: { covered, total }, ...(versions ? { versions } : {}) };
  };
  const rows = PRODUCTS.map((p) => rowFor(p, result.entries.filter((e) => e.product === p)));
  rows.push(rowFor('total', result.entries));
  const languages = Object.fromEntries(LANGUAGES.map((l) => [l, result.entries.length])) as Record<Language, number>;
  return { rows, languages, files: result.files, valid: result.entries.length };
}
