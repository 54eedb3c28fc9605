import { z } from 'zod';
import { DOCS, KINDS, LANGUAGES, PRODUCT_DOC, PRODUCTS } from './terms.ts';

export { DOCS, KINDS, LANGUAGES, PRODUCT_DOC, PRODUCTS, type Kind, type Language, type Product } from './terms.ts';

/** Section anchors as the articles spell them: lower case, words joined by one or more dashes. */
const ANCHOR = /^[a-z0-9]+(?:-+[a-z0-9]+)*$/;
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/u, { error: 'must be a date as YYYY-MM-DD (the article\'s ms.date)' });
const ID = /^(?:mars|iaasvm|mabs)\/[a-z0-9]+(?:-[a-z0-9]+)*$/;

const text = z.string().trim().min(1, { error: 'must not be empty' });

const entryId = z.string().regex(ID, { error: 'must look like <product>/<slug>, e.g. mars/invalid-vault-credentials' });

/** A sub-step: plain text, or text with a code block. Sub-steps don't nest further. */
export const SubStepSchema = z.union([text, z.strictObject({ text, code: text })], {
  error: 'must be a string or an object {text, code}',
});
export type SubStep = z.infer<typeof SubStepSchema>;

/** One action or step: plain text, or text with sub-steps or a code block. */
export const ActionSchema = z.union(
  [
    text,
    z.strictObject({
      text,
      steps: z.array(SubStepSchema).min(1, { error: 'must list at least one sub-step (or leave out steps)' }).optional(),
      code: text.optional(),
    }),
  ],
  { error: 'must be a string or an object {text, steps?, code?}' },
);
export type Action = z.infer<typeof ActionSchema>;

export const CauseSchema = z.strictObject({
  cause: text,
  detail: text.optional(),
  actions: z.array(ActionSchema).min(1, { error: 'needs at least one action' }),
});
export type Cause = z.infer<typeof CauseSchema>;

export const LocaleTextSchema = z.strictObject({
  title: text,
  summary: text.optional(),
  messages: z.array(text).optional(),
  causes: z.array(CauseSchema).optional(),
  steps: z.array(ActionSchema).optional(),
  notes: z.array(text).optional(),
  /** How admins ask about this entry in their own words: matched against questions, never shown. */
  asked: z.array(text).optional(),
});
export type LocaleText = z.infer<typeof LocaleTextSchema>;

export const EntrySchema = z
  .strictObject({
    version: z.literal(1, { error: 'must be 1 (the only version of the entry format)' }),
    id: entryId,
    product: z.enum(PRODUCTS),
    kind: z.enum(KINDS),
    source: z.strictObject({
      doc: z.enum(DOCS),
      anchor: z.string().regex(ANCHOR, { error: 'must be the section\'s <a name="…"> from the article' }),
      /** The version of the article the entry follows: its `ms.date`. */
      date: isoDate,
    }),
    codes: z.array(z.string().trim().min(1, { error: 'must not be empty' })),
    related: z.array(entryId).optional(),
    locales: z.strictObject({ en: LocaleTextSchema, nl: LocaleTextSchema, sv: LocaleTextSchema }),
  })
  .superRefine((entry, ctx) => {
    if (!entry.id.startsWith(`${entry.product}/`)) {
      ctx.addIssue({ code: 'custom', path: ['id'], message: `must start with "${entry.product}/" (the entry's product)` });
    }
    if (entry.source.doc !== PRODUCT_DOC[entry.product]) {
      ctx.addIssue({
        code: 'custom',
        path: ['source', 'doc'],
        message: `must be "${PRODUCT_DOC[entry.product]}" for product ${entry.product}`,
      });
    }
    for (const lang of LANGUAGES) {
      const t = entry.locales[lang];
      if (entry.kind === 'error') {
        if (!t.messages?.length) {
          ctx.addIssue({ code: 'custom', path: ['locales', lang, 'messages'], message: 'an error needs at least one message' });
        }
        if (!t.causes?.length) {
          ctx.addIssue({ code: 'custom', path: ['locales', lang, 'causes'], message: 'an error needs at least one cause' });
        }
      } else if (!t.steps?.length && !t.causes?.length) {
        ctx.addIssue({ code: 'custom', path: ['locales', lang], message: 'a guide needs steps or causes' });
      }
    }
  });
export type Entry = z.infer<typeof EntrySchema>;

export const GlossarySchema = z.strictObject({
  version: z.literal(1, { error: 'must be 1' }),
  terms: z
    .array(z.strictObject({ en: text, nl: text, sv: text, note: text.optional() }))
    .min(1, { error: 'must list at least one term' }),
});
export type Glossary = z.infer<typeof GlossarySchema>;

export const SourcesSchema = z.strictObject({
  version: z.literal(1, { error: 'must be 1' }),
  docs: z.array(
    z.strictObject({
      doc: z.enum(DOCS),
      title: text,
      /** The `ms.date` of the current article, which `sections` list. */
      date: isoDate,
      /** The `ms.date` of the seeds, the translated articles the knowledge started from. */
      seedDate: isoDate,
      seeds: z.array(z.strictObject({ file: text, locale: z.enum(['nl-NL', 'sv-SE']) })).min(1),
      sections: z
        .array(
          z.strictObject({
            anchor: z.string().regex(ANCHOR, { error: 'must be a section anchor' }),
            title: text,
            skip: text.optional(),
            /** The date of the article version that added the section (absent: it is in the seeds). */
            since: isoDate.optional(),
            /** The section's anchor in the seeds, where the current article spells it differently. */
            seedAnchor: z.string().regex(ANCHOR, { error: 'must be a section anchor' }).optional(),
          }),
        )
        .min(1),
    }),
  ),
});
export type Sources = z.infer<typeof SourcesSchema>;
