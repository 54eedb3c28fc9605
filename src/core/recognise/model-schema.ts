import { z } from 'zod';

// The model file's shape (model/ranker.json), checked when it is read; the engine itself needs only its types.

export const WordModelSchema = z.strictObject({
  /** Entry ids; NONE stands for "none of ours". */
  classes: z.array(z.string()),
  /** Messages per class. */
  docs: z.array(z.number().int().nonnegative()),
  /** Stem occurrences per class. */
  totals: z.array(z.number().int().nonnegative()),
  /** Stem → [class, count, class, count, …]. */
  stems: z.record(z.string(), z.array(z.number().int().nonnegative())),
});
export type WordModel = z.infer<typeof WordModelSchema>;

export const LinearSchema = z.strictObject({ mean: z.array(z.number()), scale: z.array(z.number()), weights: z.array(z.number()), bias: z.number() });

const TreeSchema = z.strictObject({
  feature: z.array(z.number().int().min(-1)),
  threshold: z.array(z.number()),
  left: z.array(z.number().int().min(-1)),
  right: z.array(z.number().int().min(-1)),
  value: z.array(z.number()),
});
export const ForestSchema = z.strictObject({ base: z.number(), trees: z.array(TreeSchema) });

export const ModelSchema = z.strictObject({
  version: z.literal(4),
  features: z.array(z.string()),
  /** Stage 1: a score for every candidate. */
  ranker: LinearSchema,
  confidenceFeatures: z.array(z.string()),
  /** Stage 2: how likely a candidate with this score and standing is right (boosted trees). */
  confidence: ForestSchema,
  /** The words people use for each entry, learned from the training writers. */
  words: WordModelSchema,
  /** Chosen on validation writers: answer, name a close second, offer candidates. */
  thresholds: z.strictObject({ answer: z.number(), also: z.number(), suggest: z.number() }),
  /** A hash of everything the model was trained from; a test compares it with the repo. */
  inputs: z.string(),
  trainedOn: z.array(z.string()),
  validatedOn: z.string(),
  heldOut: z.string(),
});
export type Model = z.infer<typeof ModelSchema>;
export type Linear = z.infer<typeof LinearSchema>;
