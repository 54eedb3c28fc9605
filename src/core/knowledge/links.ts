import type { Entry, Language } from './schema.ts';

const LEARN_LOCALE: Record<Language, string> = { en: 'en-us', nl: 'nl-nl', sv: 'sv-se' };

/** The article section behind an entry, on Microsoft Learn, in the reader's language. */
export function articleUrl(entry: Pick<Entry, 'source'>, language: Language): string {
  return `https://learn.microsoft.com/${LEARN_LOCALE[language]}/azure/backup/${entry.source.doc}#${entry.source.anchor}`;
}
