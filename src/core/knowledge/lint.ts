import type { Problem } from './problems.ts';
import { LANGUAGES } from './terms.ts';
import type { Action, Entry, LocaleText, Sources } from './schema.ts';

/**
 * Split words, mojibake and other debris of the machine-translated sources. Our text must not carry
 * them; each is a pattern that does not occur in clean Dutch, Swedish or English.
 */
const DEBRIS: readonly [RegExp, string][] = [
  [/[\u3000-\u9fff\uff00-\uffef]/u, 'mojibake (CJK characters in place of accented letters)'],
  [/Ã[\u0080-\u00bf]|â€/u, 'mojibake (UTF-8 read as Latin-1)'],
  [/\bmoment opname/iu, 'split word "moment opname" (momentopname)'],
  [/\buitbrei ding/iu, 'split word "uitbrei ding" (uitbreiding)'],
  [/\bmicro soft\b/iu, 'split word "micro soft" (Microsoft)'],
  [/\bsäkerhets kopi/iu, 'split word "säkerhets kopiering" (säkerhetskopiering)'],
  [/\bkontrol lera\b/iu, 'split word "Kontrol lera" (Kontrollera)'],
  [/\bkrasmap|\bkraslocatie|\bkrasruimte/iu, 'mistranslation "kras…" for scratch (use scratchmap)'],
  [/schusestrongcrypto toe/iu, 'garbled registry value (SchUseStrongCrypto)'],
  [/\b(?:bestands|besturings) systeem/iu, 'split word ("bestands systeem" → bestandssysteem)'],
  [/\bkoppel punt/iu, 'split word "koppel punt" (koppelpunt)'],
  [/\bopslag (?:account|plaats)/iu, 'split word ("opslag account" → opslagaccount)'],
  [/\bbeschik bare?\b/iu, 'split word "beschik bare" (beschikbare)'],
  [/\bpower shell\b/iu, 'split word "Power shell" (PowerShell)'],
  [/\bvolt ooien\b|\bgesp roken\b|\bhand matig\b|\bdash board\b/iu, 'split word from the machine translation'],
  [/\b(?:nätverks|tjänst|volym|krypterings|lösen|återställnings|skugg|valv) (?:anslutning|konsol|utrymme|nyckel|fras|problem|kopi|behörighet)/iu, 'split Swedish compound from the machine translation'],
];

type Fields = Map<string, string>;

function actionFields(prefix: string, action: Action, out: Fields): void {
  if (typeof action === 'string') {
    out.set(prefix, action);
    return;
  }
  out.set(`${prefix}.text`, action.text);
  action.steps?.forEach((s, i) => {
    if (typeof s === 'string') {
      out.set(`${prefix}.steps[${i}]`, s);
    } else {
      out.set(`${prefix}.steps[${i}].text`, s.text);
      out.set(`${prefix}.steps[${i}].code`, s.code);
    }
  });
  if (action.code !== undefined) out.set(`${prefix}.code`, action.code);
}

/** Every text of one language, keyed by its field path; the keys are the entry's structure. */
export function textFields(t: LocaleText): Fields {
  const out: Fields = new Map();
  out.set('title', t.title);
  if (t.summary !== undefined) out.set('summary', t.summary);
  t.messages?.forEach((m, i) => out.set(`messages[${i}]`, m));
  t.causes?.forEach((c, i) => {
    out.set(`causes[${i}].cause`, c.cause);
    if (c.detail !== undefined) out.set(`causes[${i}].detail`, c.detail);
    c.actions.forEach((a, j) => actionFields(`causes[${i}].actions[${j}]`, a, out));
  });
  t.steps?.forEach((s, i) => actionFields(`steps[${i}]`, s, out));
  t.notes?.forEach((n, i) => out.set(`notes[${i}]`, n));
  t.asked?.forEach((q, i) => out.set(`asked[${i}]`, q));
  return out;
}

/** The backticked spans of a text, sorted: what must stay verbatim in every language. */
export function verbatimSpans(text: string): string[] {
  return [...text.matchAll(/`([^`]+)`/gu)].map((m) => m[1] ?? '').sort();
}

const LINK = /\[([^[\]]*)\]\(([^()\s]*)\)/gu;

function checkText(text: string, file: string, field: string, isCode: boolean): Problem[] {
  const problems: Problem[] = [];
  for (const [pattern, what] of DEBRIS) {
    if (pattern.test(text)) problems.push({ file, field, message: `contains ${what}` });
  }
  if (isCode) return problems;
  const withoutCode = text.replace(/`[^`]*`/gu, '');
  if ((withoutCode.match(/`/gu) ?? []).length > 0) problems.push({ file, field, message: 'has an unclosed backtick' });
  if ((withoutCode.match(/\*\*/gu) ?? []).length % 2 !== 0) problems.push({ file, field, message: 'has an unbalanced ** (broken bold)' });
  for (const [, , url] of withoutCode.matchAll(LINK)) {
    if (!/^https:\/\/[^\s]+$/u.test(url ?? '')) {
      problems.push({ file, field, message: `link "${url}" must be an absolute https:// URL` });
    }
  }
  return problems;
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function diffList(reference: string[], other: string[]): string {
  const missing = reference.filter((v) => !other.includes(v));
  const extra = other.filter((v) => !reference.includes(v));
  const parts: string[] = [];
  if (missing.length) parts.push(`missing ${missing.map((v) => `\`${v}\``).join(', ')}`);
  if (extra.length) parts.push(`extra ${extra.map((v) => `\`${v}\``).join(', ')}`);
  return parts.join('; ') || 'the same spans but a different count';
}

/** Checks one entry across its languages: same structure, same verbatim spans, clean text. */
function checkEntry(entry: Entry, file: string): Problem[] {
  const problems: Problem[] = [];
  const en = textFields(entry.locales.en);
  for (const lang of LANGUAGES) {
    const fields = lang === 'en' ? en : textFields(entry.locales[lang]);
    for (const [key, text] of fields) {
      problems.push(...checkText(text, file, `locales.${lang}.${key}`, key.endsWith('.code')));
    }
    if (lang === 'en') continue;
    const missing = [...en.keys()].filter((k) => !fields.has(k));
    const extra = [...fields.keys()].filter((k) => !en.has(k));
    for (const key of missing.slice(0, 3)) {
      problems.push({ file, field: `locales.${lang}.${key}`, message: 'is missing: en has it, and every language has the same structure' });
    }
    for (const key of extra.slice(0, 3)) {
      problems.push({ file, field: `locales.${lang}.${key}`, message: 'has no counterpart in en: every language has the same structure' });
    }
    const more = missing.length + extra.length - Math.min(3, missing.length) - Math.min(3, extra.length);
    if (more > 0) problems.push({ file, field: `locales.${lang}`, message: `${more} more fields differ in structure from en` });

    for (const [key, text] of fields) {
      const reference = en.get(key);
      if (reference === undefined) continue;
      if (key.endsWith('.code')) {
        if (text.trim() !== reference.trim()) {
          problems.push({ file, field: `locales.${lang}.${key}`, message: 'code must be identical to en (commands are never translated)' });
        }
        continue;
      }
      const want = verbatimSpans(reference);
      const have = verbatimSpans(text);
      if (!sameList(want, have)) {
        problems.push({ file, field: `locales.${lang}.${key}`, message: `backticked text differs from en: ${diffList(want, have)}` });
      }
    }
  }

  const seen = new Set<string>();
  entry.codes.forEach((code, i) => {
    const key = code.toLowerCase();
    if (seen.has(key)) problems.push({ file, field: `codes[${i}]`, message: `"${code}" is listed twice` });
    seen.add(key);
  });
  return problems;
}

/** Checks across entries: related ids, codes shared within a product, and coverage of the sources. */
export function checkEntries(
  entries: Entry[],
  fileOf: (e: Entry) => string,
  sources: Sources | undefined,
  sourcesFile: string,
): Problem[] {
  const problems: Problem[] = [];
  const ids = new Set(entries.map((e) => e.id));
  const codeOwner = new Map<string, Entry>();

  for (const entry of entries) {
    const file = fileOf(entry);
    problems.push(...checkEntry(entry, file));
    entry.related?.forEach((id, i) => {
      if (id === entry.id) problems.push({ file, field: `related[${i}]`, message: 'an entry is not related to itself' });
      else if (!ids.has(id)) problems.push({ file, field: `related[${i}]`, message: `no entry has the id "${id}"` });
    });
    entry.codes.forEach((code, i) => {
      const key = `${entry.product}:${code.toLowerCase()}`;
      const owner = codeOwner.get(key);
      if (owner && owner !== entry) {
        problems.push({ file, field: `codes[${i}]`, message: `"${code}" already names ${owner.id}; within one product a code names one entry` });
      } else {
        codeOwner.set(key, entry);
      }
    });
  }

  if (!sources) return problems;
  sources.docs.forEach((doc, d) => {
    doc.sections.forEach((section, s) => {
      const covering = entries.filter((e) => e.source.doc === doc.doc && e.source.anchor === section.anchor);
      const field = `docs[${d}].sections[${s}]`;
      if (!section.skip && covering.length === 0) {
        problems.push({ file: sourcesFile, field, message: `section "${section.anchor}" of ${doc.doc} has no entry (write one, or give a reason with skip)` });
      }
      if (section.skip && covering.length > 0) {
        problems.push({ file: sourcesFile, field, message: `section "${section.anchor}" is marked skip but ${covering[0]?.id} covers it` });
      }
    });
  });
  for (const entry of entries) {
    const doc = sources.docs.find((d) => d.doc === entry.source.doc);
    if (!doc?.sections.some((s) => s.anchor === entry.source.anchor)) {
      problems.push({
        file: fileOf(entry),
        field: 'source.anchor',
        message: `"${entry.source.anchor}" is not a section of ${entry.source.doc} (see knowledge/sources.yaml)`,
      });
    }
  }
  return problems;
}
