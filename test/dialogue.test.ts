import { beforeAll, describe, expect, it } from 'vitest';
import { createBot } from '../src/compose.ts';
import { decodeAction, encodeAction, type Action } from '../src/core/answer/actions.ts';
import { answerJson } from '../src/core/answer/json.ts';
import type { ThreadContext } from '../src/core/engine.ts';
import type { ContextStore } from '../src/core/ports.ts';
import { seeing, sharedBot } from './helpers/bot.ts';

// The knowledge is loaded and the intents trained once per file, before any test's clock starts.
beforeAll(() => {
  sharedBot();
}, 60_000);

const PASTE = 'Invalid vault credentials provided. The file is either corrupted or does not have the latest credentials associated with recovery service. (ID: 34513)';

const say = (thread: string, text: string, locale?: string) => sharedBot().handle({ text, thread, user: 'admin', ...(locale ? { locale } : {}) });

describe('the engine', () => {
  it('still answers when the context store is down, and says so in the log only', async () => {
    const warnings: string[] = [];
    const broken: ContextStore<ThreadContext> = {
      get: () => Promise.reject(new Error('connection refused')),
      set: () => Promise.reject(new Error('connection refused')),
      delete: () => Promise.reject(new Error('connection refused')),
    };
    const bot = seeing(createBot({ store: broken, logger: { warn: (_f, m) => warnings.push(m) } }));
    const answer = await bot.handle({ text: PASTE, thread: 'down', user: 'u' });
    expect(answer.matches.map((m) => m.id)).toEqual(['mars/invalid-vault-credentials']);
    expect(answer.text).toContain('Most likely cause (1 of 3)');
    expect(warnings).toEqual(['context store read failed; answering without thread context', 'context store write failed; the answer is sent without saving context']);
  }, 30_000); // builds a bot of its own

  it('answers a button from its own data when the thread has forgotten everything', async () => {
    const action: Action = { type: 'language', language: 'en', to: 'sv', entries: ['mars/invalid-vault-credentials'], cause: 1 };
    const reply = await sharedBot().handle({ text: '', thread: 'expired', user: 'u', action });
    expect(reply.language).toBe('sv');
    expect(reply.matches.map((m) => [m.id, m.focus.cause])).toEqual([['mars/invalid-vault-credentials', 1]]);
    expect(reply.text).toContain('Orsak 2 av 3');
  });

  it('stays silent on a thread reply in a thread without an answer of its own, and on an unsure passive paste', async () => {
    const bot = sharedBot();
    expect((await bot.handle({ text: 'what does step 2 mean?', thread: 'not-ours', user: 'u' }, { mode: 'thread' })).silent).toBe(true);
    expect((await bot.handle({ text: 'anyone up for lunch?', thread: 'channel', user: 'u' }, { mode: 'passive' })).silent).toBe(true);
    const sure = await bot.handle({ text: PASTE, thread: 'channel-2', user: 'u' }, { mode: 'passive' });
    expect(sure.silent).toBe(false);
    expect(sure.matches.map((m) => m.id)).toEqual(['mars/invalid-vault-credentials']);
  });

  it('lists the entry and its focus in the JSON of every answer about it', async () => {
    await say('json-1', PASTE);
    const step = answerJson(await say('json-1', 'what does step 2 mean?'));
    expect(step.intent).toBe('explain_step');
    expect(step.matches.map((m) => [m.id, m.focus])).toEqual([['mars/invalid-vault-credentials', { cause: 0, step: 2, note: null }]]);
    const next = answerJson(await say('json-1', 'still failing'));
    expect(next.matches.map((m) => [m.id, m.focus])).toEqual([['mars/invalid-vault-credentials', { cause: 1, step: null, note: null }]]);
    expect(next.text).toContain('Cause 2 of 3');
  });

  it('"any other causes?" shows the steps of every other cause under its own heading', async () => {
    await say('more-1', PASTE);
    const more = await say('more-1', 'any other causes?');
    expect(more.kind).toBe('more_causes');
    expect(more.text).toContain('Cause 2 of 3: A proxy server or firewall blocks the registration');
    expect(more.text).toContain('Cause 3 of 3: Antivirus software blocks the registration');
    expect(more.text).not.toContain('Cause 1 of 3');
  });
});

describe('button data', () => {
  it('round-trips every kind of action, and refuses data that is not ours', () => {
    const actions: Action[] = [
      { type: 'more_causes', language: 'nl', entry: 'mars/invalid-vault-credentials', cause: 2 },
      { type: 'language', language: 'en', to: 'sv', entries: ['iaasvm/user-error-fs-freeze-failed', 'mars/encryption-passphrase-not-configured'], cause: 0 },
      { type: 'pick', language: 'sv', entry: 'mabs/invalid-vault-credentials' },
      { type: 'feedback', language: 'en', entries: ['mars/invalid-vault-credentials'], value: 'down' },
    ];
    for (const action of actions) expect(decodeAction(encodeAction(action))).toEqual(action);
    for (const bad of ['', 'bt_more_causes', 'bt1|more|en|mars/x', 'bt1|pick|de|mars/x', 'bt1|pick|en|../../etc', 'bt1|lang|en|mars/x|0|xx', 'bt1|up|en|mars/a,mars/b,mars/c,mars/d', 'x'.repeat(10_000), 42, null, { bt: 'bt1|pick|en|mars/x' }]) {
      expect(decodeAction(bad)).toBeUndefined();
    }
  });
});

describe('numbers in what the bot says', () => {
  it('take the plural form each language needs', async () => {
    const { STRINGS } = await import('../src/core/i18n/strings.ts');
    expect(STRINGS.en.noSuchStep(9, 1)).toBe('There is no step 9: the last answer has only one step.');
    expect(STRINGS.en.noSuchStep(9, 3)).toBe('There is no step 9: the last answer has 3 steps.');
    expect(STRINGS.nl.noSuchStep(9, 1)).toBe('Er is geen stap 9: het laatste antwoord heeft maar één stap.');
    expect(STRINGS.sv.noSuchStep(9, 1)).toBe('Det finns inget steg 9: det senaste svaret har bara ett steg.');
    expect(STRINGS.en.otherCauses(1)).toBe('1 other possible cause: say "it still fails" for the next one.');
    expect(STRINGS.nl.otherCauses(2)).toBe('Nog 2 mogelijke oorzaken: zeg "het werkt nog steeds niet" voor de volgende.');
    expect(STRINGS.sv.otherCauses(1)).toBe('1 annan möjlig orsak: skriv "det fungerar fortfarande inte" för nästa.');
    expect(STRINGS.en.skipped([1, 2])).toBe('You have already tried the fix for causes 1 and 2.');
    expect(STRINGS.nl.skipped([3])).toBe('U hebt de oplossing voor oorzaak 3 al geprobeerd.');
    expect(STRINGS.sv.skipped([1, 3])).toBe('Du har redan provat åtgärden för orsakerna 1 och 3.');
  });
});

describe('replies in a thread that are not addressed to the bot', () => {
  it('are answered when they are about the answer, and left alone when they are people talking', async () => {
    const bot = sharedBot();
    await bot.handle({ text: PASTE, thread: 'people', user: 'u' });
    const about = await bot.handle({ text: 'which ports does the firewall need open?', thread: 'people', user: 'u' }, { mode: 'thread' });
    expect(about.silent).toBe(false);
    expect(about.text).toContain('Cause 2 of 3: A proxy server or firewall blocks the registration');
    const chatter = await bot.handle({ text: 'ok let me check with the network team', thread: 'people', user: 'u' }, { mode: 'thread' });
    expect(chatter.silent).toBe(true);
    for (const text of ['@maria can you have a look at this tomorrow morning?', 'lunch first?', 'hmm weird, never seen that one']) {
      expect((await bot.handle({ text, thread: 'people', user: 'u' }, { mode: 'thread' })).silent, text).toBe(true);
    }
    // Addressed to the bot, the same words get an answer.
    expect((await bot.handle({ text: '@maria can you have a look at this tomorrow morning?', thread: 'people', user: 'u' })).silent).toBe(false);
  });
});
