import { beforeAll, describe, expect, it } from 'vitest';
import { createBot } from '../src/compose.ts';
import type { ThreadContext } from '../src/core/engine.ts';
import { MemoryStore, type ContextStore } from '../src/store/context-store.ts';
import { sharedBot } from './helpers/bot.ts';

// The knowledge is loaded and the intents trained once per file, before any test's clock starts.
beforeAll(() => {
  sharedBot();
}, 60_000);

const PASTE = 'Invalid vault credentials provided. The file is either corrupted or does not have the latest credentials associated with recovery service. (ID: 34513)';

async function say(thread: string, text: string, locale?: string) {
  return sharedBot().handle({ text, thread, user: 'admin', ...(locale ? { locale } : {}) });
}

describe('follow-ups in a thread', () => {
  it('English: explains a step, then moves to the next cause when it still fails, then the checklist', async () => {
    await say('en-1', PASTE);
    const step = await say('en-1', 'what does step 2 mean?');
    expect(step.intent).toBe('explain_step');
    expect(step.text).toContain('Step 2 of 3');
    expect(step.text).toContain('This step is part of the fix for: The vault credentials are not valid');
    expect(step.text).toContain('select **Register Server** in the **Actions** pane');

    const next = await say('en-1', 'still failing');
    expect(next.intent).toBe('not_resolved');
    expect(next.text).toContain("Then let's look at cause 2 of 3:");
    expect(next.text).toContain('Steps for the most likely cause (A proxy server or firewall blocks the registration');

    await say('en-1', 'it still fails');
    const last = await say('en-1', 'still the same error, nothing helped');
    expect(last.text).toContain('That was the last cause I know for this error.');
    expect(last.text).toContain('backup-azure-mars-troubleshoot#basic-troubleshooting');
  });

  it('Dutch: "wat bedoel je met stap 1" answers in Dutch about the same error', async () => {
    await say('nl-1', `Ik krijg deze fout bij het registreren: ${PASTE}`);
    const step = await say('nl-1', 'wat bedoel je met stap 1');
    expect(step.language).toBe('nl');
    expect(step.text).toContain('Stap 1 van 3');
    expect(step.text).toContain('Download een nieuw kluisreferentiebestand');
  });

  it('Swedish: "vad menar du med steg 1?" answers in Swedish', async () => {
    await say('sv-1', PASTE, 'sv-SE');
    const step = await say('sv-1', 'vad menar du med steg 1?');
    expect(step.language).toBe('sv');
    expect(step.text).toContain('Steg 1 av 3');
    expect(step.text).toContain('Hämta en ny autentiseringsfil');
  });

  it('switches language and shows the last answer again in it', async () => {
    await say('switch-1', PASTE);
    const sv = await say('switch-1', 'på svenska tack');
    expect(sv.intent).toBe('switch_language');
    expect(sv.language).toBe('sv');
    expect(sv.text).toContain('Här är det senaste svaret igen:');
    expect(sv.matches.map((m) => m.id)).toEqual(['mars/invalid-vault-credentials']);
    expect(sv.text).toContain('Ogiltiga autentiseringsuppgifter för valvet');

    const nl = await say('switch-1', 'in het Nederlands graag');
    expect(nl.language).toBe('nl');
    expect(nl.text).toContain('Ongeldige kluisreferenties opgegeven');
    const after = await say('switch-1', 'what does step 1 mean?');
    expect(after.text).toContain('Download');
  });

  it('lists every cause when asked for other causes', async () => {
    await say('more-1', PASTE);
    const more = await say('more-1', 'any other causes?');
    expect(more.intent).toBe('more_causes');
    expect(more.text).toContain('These are all the causes I know for this error:');
    expect(more.text).toContain('3. Antivirus software blocks the registration');
  });

  it('picks a "did you mean" candidate by its number', async () => {
    const first = await say('pick-1', 'ID 100050');
    expect(first.suggestions.length).toBe(2);
    const second = await say('pick-1', '2');
    expect(second.matches.map((m) => m.id)).toEqual([first.suggestions[1]!.id]);
  });

  it('answers a follow-up without context politely, and never with another thread\'s answer', async () => {
    await say('other-thread', PASTE);
    const lost = await say('fresh-thread', 'what does step 2 mean?');
    expect(lost.matches).toEqual([]);
    expect(lost.text).toBe("I don't have an earlier answer in this thread. Paste the error message here, and I'll start from there.");
    const lostNl = await say('fresh-thread-nl', 'het werkt nog steeds niet', 'nl-NL');
    expect(lostNl.text).toContain('Ik heb in deze thread nog geen eerder antwoord gegeven.');
  });

  it('thanks and help in each language', async () => {
    expect((await say('t-1', 'thanks, that fixed it!')).text).toBe('Glad I could help. Paste the next error any time.');
    const thanks = await say('t-2', 'bedankt, opgelost');
    expect(thanks.language).toBe('nl');
    expect(thanks.text).toContain('Fijn dat ik kon helpen');
    expect((await say('t-3', 'tack, det funkade')).text).toContain('Vad bra att jag kunde hjälpa till');
    expect((await say('t-4', 'help')).text).toContain('I help with Azure Backup errors.');
  });

  it('still answers when the context store is down, and says so in the log only', async () => {
    const warnings: string[] = [];
    const broken: ContextStore<ThreadContext> = {
      get: () => Promise.reject(new Error('connection refused')),
      set: () => Promise.reject(new Error('connection refused')),
      delete: () => Promise.reject(new Error('connection refused')),
    };
    const bot = createBot({ store: broken, logger: { warn: (_f, m) => warnings.push(m) } });
    const answer = await bot.handle({ text: PASTE, thread: 'down', user: 'u' });
    expect(answer.matches.map((m) => m.id)).toEqual(['mars/invalid-vault-credentials']);
    expect(warnings).toHaveLength(2);
  }, 30_000); // builds a bot of its own
});

describe('the in-memory context store', () => {
  it('forgets a thread after its time to live, and the oldest thread past its size', async () => {
    let now = 0;
    const store = new MemoryStore<{ n: number }>({ ttlMs: 1000, maxEntries: 2, now: () => now });
    await store.set('a', { n: 1 });
    now = 999;
    expect(await store.get('a')).toEqual({ n: 1 });
    now = 1999;
    expect(await store.get('a')).toBeUndefined();
    await store.set('b', { n: 2 });
    await store.set('c', { n: 3 });
    await store.set('d', { n: 4 });
    expect(await store.get('b')).toBeUndefined();
    expect(await store.get('d')).toEqual({ n: 4 });
  });
});

describe('buttons under an answer', () => {
  const press = (thread: string, action: NonNullable<Parameters<ReturnType<typeof sharedBot>['handle']>[0]['action']>) =>
    sharedBot().handle({ text: '', thread, user: 'admin', action });

  it('"other causes" moves to the next cause, and a language button shows the answer again in that language', async () => {
    await say('btn-1', PASTE);
    const more = await press('btn-1', { type: 'more_causes' });
    expect(more.intent).toBe('more_causes');
    expect(more.text).toContain('These are all the causes I know for this error:');
    const dutch = await press('btn-1', { type: 'language', language: 'nl' });
    expect(dutch.language).toBe('nl');
    expect(dutch.text).toContain('Hier is het laatste antwoord opnieuw:');
  });

  it('a numbered suggestion button answers with that entry', async () => {
    const offered = await say('btn-2', 'Invalid vault credentials provided. The file is corrupted or does not have the latest credentials associated with recovery service.');
    expect(offered.suggestions.map((x) => x.id)).toEqual(['mabs/invalid-vault-credentials', 'mars/invalid-vault-credentials']);
    const picked = await press('btn-2', { type: 'pick', index: 2 });
    expect(picked.matches.map((m) => m.id)).toEqual(['mars/invalid-vault-credentials']);
  });

  it('a button in a thread whose context has expired says so, in the language asked for', async () => {
    const reply = await press('btn-expired', { type: 'language', language: 'sv' });
    expect(reply.language).toBe('sv');
    expect(reply.matches).toEqual([]);
    expect(reply.text).toContain('Jag har inget tidigare svar i den här tråden');
  });
});
