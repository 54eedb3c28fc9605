import { cpSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createBot, INTENTS_DIR, KNOWLEDGE_DIR, MODEL_FILE, prepareSources } from '../src/compose.ts';
import { answerJson } from '../src/core/answer/json.ts';
import { readPrebuilt, sourcesDigest, writePrebuilt } from '../src/prebuilt.ts';

// What `npm run build` stores for start-up must answer exactly as the sources do, and must not be
// used once the sources it was built from have changed.
const dir = mkdtempSync(join(tmpdir(), 'bt-prebuilt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const SOURCES = { knowledgeDir: KNOWLEDGE_DIR, intentsDir: INTENTS_DIR, modelFile: MODEL_FILE };

describe('the prepared engine a build stores', () => {
  it('reads back into an engine whose answers are the same as one prepared from the sources', async () => {
    const file = join(dir, 'engine.v8');
    const digest = sourcesDigest(SOURCES);
    writePrebuilt(file, prepareSources(), digest);
    const found = readPrebuilt(file, digest);
    if (!('prepared' in found)) throw new Error(`not read: ${found.stale}`);
    // The typo look-up reads back key for key, misses included, and as a whole.
    const sourced = prepareSources().index.deletions;
    const read = found.prepared.index.deletions;
    expect(read.size).toBe(sourced.size);
    for (const [key, stems] of sourced) expect(read.get(key)).toEqual(stems);
    for (const miss of ['', 'zzzzzz', '\u0000', 'vaul']) expect(read.get(miss)).toEqual(sourced.get(miss));
    expect(new Map([...read].sort())).toEqual(new Map([...sourced].sort()));
    const built = createBot({ prepared: found.prepared });
    const fresh = createBot();
    const thread = [
      'Invalid vault credentials provided. (ID: 34513)',
      'wat betekent stap 2?',
      'it still fails',
      'snapshot failed, the VSS writers are in a bad state',
      'what is the weather like tomorrow?',
      'hoe controleer ik de proxy-instellingen van het systeemaccount?',
      'help',
    ];
    for (const text of thread) {
      const [a, b] = await Promise.all([built.handle({ text, thread: 't', user: 'u' }), fresh.handle({ text, thread: 't', user: 'u' })]);
      expect(answerJson(a)).toEqual(answerJson(b));
    }
  }, 60_000);

  it('is not used once a knowledge file changed, and says why', () => {
    const copy = join(dir, 'sources');
    cpSync(KNOWLEDGE_DIR, join(copy, 'knowledge'), { recursive: true });
    const sources = { ...SOURCES, knowledgeDir: join(copy, 'knowledge') };
    const file = join(dir, 'stale.v8');
    writePrebuilt(file, prepareSources(), sourcesDigest(sources));
    expect('prepared' in readPrebuilt(file, sourcesDigest(sources))).toBe(true);

    const edited = join(copy, 'knowledge', 'mars', 'invalid-vault-credentials.yaml');
    utimesSync(edited, new Date(), new Date(Date.now() + 5_000));
    expect(readPrebuilt(file, sourcesDigest(sources))).toEqual({ stale: 'the knowledge, intents or model changed since the build' });
    const before = sourcesDigest(sources);
    writeFileSync(join(copy, 'knowledge', 'mars', 'new-entry.yaml'), 'id: mars/new-entry\n');
    expect(sourcesDigest(sources)).not.toBe(before);
  }, 60_000);

  it('a missing or damaged file is not read', () => {
    expect(readPrebuilt(join(dir, 'none.v8'), 'x')).toEqual({ stale: 'it has not been built' });
    writeFileSync(join(dir, 'damaged.v8'), 'not a serialized value');
    expect(readPrebuilt(join(dir, 'damaged.v8'), 'x')).toEqual({ stale: 'it is damaged' });
  });
});
