import type { Action } from './schema.ts';

/** All the words of an action, for matching: its text, its sub-steps and their code, its code. */
export function actionWords(action: Action): string {
  if (typeof action === 'string') return action;
  const subs = (action.steps ?? []).map((s) => (typeof s === 'string' ? s : `${s.text} ${s.code}`));
  return [action.text, ...subs, action.code ?? ''].join(' ');
}
