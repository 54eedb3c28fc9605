import type { StoredEvent } from '../store/store.ts';

/** What a knowledge maintainer acts on, from the events log. */
export interface Report {
  since: string;
  until: string;
  /** Messages that were not follow-ups: new errors and questions. */
  messages: number;
  /** Per platform and language: messages, and how many were answered outright. */
  answerRate: { platform: string; language: string; messages: number; answered: number; rate: number }[];
  /** Messages with no answer (no match, or only "did you mean"), grouped by likeness, most first. */
  unanswered: { count: number; text: string; outcomes: Record<string, number>; examples: string[] }[];
  /** 👍 and 👎 per entry, the most 👎 first. */
  feedback: { entry: string; down: number; up: number }[];
  /** Entries picked from "did you mean": what users meant when the bot wasn't sure. */
  picks: { entry: string; count: number }[];
}

/** Two unanswered messages are grouped when this share of their words is shared. */
const LIKENESS = 0.5;
const EXAMPLES = 3;

/** The words that make two messages alike: numbers, ids and codes of digits count as one word "#". */
function words(text: string): Set<string> {
  const out = new Set<string>();
  for (const w of text.toLowerCase().split(/[^\p{L}\p{N}#]+/u)) {
    if (w.length < 2 && w !== '#') continue;
    out.add(/\d/u.test(w) && !/^0x/u.test(w) && !/[a-z]{4}/u.test(w) ? '#' : w);
  }
  return out;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const w of a) if (b.has(w)) shared += 1;
  return shared / (a.size + b.size - shared);
}

function bump<K>(map: Map<K, number>, key: K, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

export function buildReport(events: StoredEvent[], since: number, until: number): Report {
  const rates = new Map<string, { platform: string; language: string; messages: number; answered: number }>();
  const groups: { words: Set<string>; count: number; text: string; outcomes: Record<string, number>; examples: string[] }[] = [];
  const feedback = new Map<string, { up: number; down: number }>();
  const picks = new Map<string, number>();
  let messages = 0;
  for (const e of events) {
    if (e.type === 'message') {
      if (e.outcome === 'follow-up') continue;
      messages += 1;
      const key = `${e.platform}\u0000${e.language}`;
      const rate = rates.get(key) ?? { platform: e.platform, language: e.language, messages: 0, answered: 0 };
      rate.messages += 1;
      if (e.outcome === 'answered' || e.outcome === 'could-also-be') rate.answered += 1;
      rates.set(key, rate);
      if (e.outcome !== 'no-match' && e.outcome !== 'suggested') continue;
      const text = e.text ?? '';
      const w = words(text);
      let group = groups.find((g) => jaccard(g.words, w) >= LIKENESS);
      if (!group) {
        group = { words: w, count: 0, text, outcomes: {}, examples: [] };
        groups.push(group);
      }
      group.count += 1;
      group.outcomes[e.outcome] = (group.outcomes[e.outcome] ?? 0) + 1;
      if (group.examples.length < EXAMPLES && !group.examples.includes(text)) group.examples.push(text);
    } else if (e.type === 'feedback') {
      for (const entry of e.entries) {
        const f = feedback.get(entry) ?? { up: 0, down: 0 };
        f[e.value] += 1;
        feedback.set(entry, f);
      }
    } else {
      bump(picks, e.entry);
    }
  }
  return {
    since: new Date(since).toISOString(),
    until: new Date(until).toISOString(),
    messages,
    answerRate: [...rates.values()]
      .map((r) => ({ ...r, rate: r.messages ? Math.round((1000 * r.answered) / r.messages) / 1000 : 0 }))
      .sort((a, b) => a.platform.localeCompare(b.platform) || a.language.localeCompare(b.language)),
    unanswered: groups.map((g) => ({ count: g.count, text: g.text, outcomes: g.outcomes, examples: g.examples })).sort((a, b) => b.count - a.count || a.text.localeCompare(b.text)),
    feedback: [...feedback].map(([entry, f]) => ({ entry, ...f })).sort((a, b) => b.down - a.down || b.up - a.up || a.entry.localeCompare(b.entry)),
    picks: [...picks].map(([entry, count]) => ({ entry, count })).sort((a, b) => b.count - a.count || a.entry.localeCompare(b.entry)),
  };
}

/** The report as text for a terminal. */
export function formatReport(r: Report, where: string): string {
  const pct = (x: number) => `${(100 * x).toFixed(0)}%`;
  const lines = [`backup-triage report, ${r.since.slice(0, 16).replace('T', ' ')} to ${r.until.slice(0, 16).replace('T', ' ')} UTC (${where})`, ''];
  lines.push(`Answer rate: ${r.messages} messages (follow-ups not counted)`);
  if (r.answerRate.length === 0) lines.push('  no messages in this period');
  for (const a of r.answerRate) lines.push(`  ${a.platform.padEnd(6)} ${a.language.padEnd(3)} ${String(a.messages).padStart(6)} messages  ${pct(a.rate).padStart(4)} answered`);
  lines.push('', `Unanswered, grouped by likeness: ${r.unanswered.reduce((n, g) => n + g.count, 0)} messages`);
  if (r.unanswered.length === 0) lines.push('  none');
  for (const g of r.unanswered.slice(0, 20)) {
    lines.push(`  ${String(g.count).padStart(4)}×  ${g.text.slice(0, 120)}`);
    for (const x of g.examples.slice(1)) lines.push(`         also: ${x.slice(0, 110)}`);
  }
  lines.push('', '👎 by entry');
  const disliked = r.feedback.filter((f) => f.down > 0);
  if (disliked.length === 0) lines.push('  none');
  for (const f of disliked) lines.push(`  ${String(f.down).padStart(4)} 👎 ${String(f.up).padStart(4)} 👍  ${f.entry}`);
  lines.push('', 'Picked from "did you mean" (what users meant)');
  if (r.picks.length === 0) lines.push('  none');
  for (const p of r.picks) lines.push(`  ${String(p.count).padStart(4)}×  ${p.entry}`);
  return lines.join('\n');
}

/** "7d", "24h", "90m", "2w", or a date: the start of the period, in ms since the epoch. */
export function parseSince(value: string, now: number): number | undefined {
  const m = /^(\d{1,5})([mhdw])$/u.exec(value.trim());
  if (m) return now - Number(m[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[m[2] as 'm' | 'h' | 'd' | 'w'];
  if (!/^\d{4}-\d{2}-\d{2}/u.test(value)) return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : at;
}
