import type { z } from 'zod';

/** One thing wrong with one knowledge file, worded for the person who edits it. */
export interface Problem {
  /** Path of the file, relative to the project root (e.g. `knowledge/mars/x.yaml`). */
  file: string;
  /** The field, as a path (`locales.nl.causes[1].actions`), or empty for the whole file. */
  field: string;
  message: string;
}

export function formatProblem(p: Problem): string {
  return p.field ? `${p.file}: ${p.field}: ${p.message}` : `${p.file}: ${p.message}`;
}

/** Thrown when the knowledge base can't be used; its message lists every problem, one per line. */
export class KnowledgeError extends Error {
  readonly code = 'KNOWLEDGE_INVALID';
  constructor(readonly problems: Problem[]) {
    const shown = problems.slice(0, 20).map(formatProblem);
    if (problems.length > shown.length) shown.push(`… and ${problems.length - shown.length} more`);
    super(`The knowledge base has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${shown.join('\n')}`);
    this.name = 'KnowledgeError';
  }
}

export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 37)}…` : value}"`;
  return String(value);
}

const EXPECTED: Record<string, string> = {
  string: 'text',
  object: 'a mapping',
  array: 'a list',
  number: 'a number',
};

/** Turns zod's issues into problems that name the field and say what to write there. */
export function problemsFromZod(file: string, issues: readonly z.core.$ZodIssue[], data: unknown): Problem[] {
  const problems: Problem[] = [];
  for (const issue of issues) {
    const field = fieldPath(issue.path);
    const value = valueAt(data, issue.path);
    switch (issue.code) {
      case 'unrecognized_keys':
        for (const key of issue.keys) {
          problems.push({ file, field: fieldPath([...issue.path, key]), message: 'unknown key (check the spelling against knowledge/README.md)' });
        }
        break;
      case 'invalid_type':
        problems.push({
          file,
          field,
          message: value === undefined ? 'is missing' : `must be ${EXPECTED[issue.expected] ?? issue.expected}, found ${describe(value)}`,
        });
        break;
      case 'invalid_value':
        problems.push({
          file,
          field,
          message: issue.message.startsWith('Invalid')
            ? `must be one of ${issue.values.map((v) => String(v)).join(', ')} (found ${describe(value)})`
            : `${issue.message} (found ${describe(value)})`,
        });
        break;
      case 'invalid_union': {
        // Report the branch that matched the value's type (e.g. the object form of an action),
        // so the message points at the field inside it rather than at the whole union.
        const matching = issue.errors.filter((branch) => !branch.some((i) => i.code === 'invalid_type' && i.path.length === 0));
        if (matching.length === 1 && matching[0]) {
          const nested = matching[0].map((i) => ({ ...i, path: [...issue.path, ...i.path] }));
          problems.push(...problemsFromZod(file, nested, data));
        } else {
          problems.push({ file, field, message: `${issue.message} (found ${describe(value)})` });
        }
        break;
      }
      default:
        problems.push({ file, field, message: issue.message });
    }
  }
  return problems;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = data;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}
