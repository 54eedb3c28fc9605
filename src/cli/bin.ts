// The built command line (dist/backup-triage.js): the engine starts from what the build prepared,
// while the knowledge, intents and model are the ones it was built from.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Prepared } from '../core/engine.ts';
import { readPrebuilt, sourcesDigest } from '../prebuilt.ts';
import { INTENTS_DIR, KNOWLEDGE_DIR, MODEL_FILE } from '../paths.ts';
import { main } from './main.ts';

const PREBUILT_FILE = fileURLToPath(new URL('./engine.v8', import.meta.url));

let prepared: Promise<Prepared> | undefined;

/** The build's prepared engine; when it doesn't fit the sources, they are prepared now, and stderr says why. */
function fromBuild(): Promise<Prepared> {
  prepared ??= (async () => {
    const found = readPrebuilt(PREBUILT_FILE, sourcesDigest({ knowledgeDir: KNOWLEDGE_DIR, intentsDir: INTENTS_DIR, modelFile: MODEL_FILE }));
    if ('prepared' in found) return found.prepared;
    process.stderr.write(`backup-triage: reading the knowledge from its files, because ${found.stale}; \`npm run build\` makes the start faster\n`);
    return (await import('../compose.ts')).prepareSources();
  })();
  return prepared;
}

// A closed pipe (`backup-triage kb list | head`) ends the output, not the process with a stack.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

const engine = async () => (await import('../bot.ts')).botFrom(await fromBuild());

const argv = process.argv.slice(2);
// The commands that read their configuration from the environment take ./.env too; what the
// environment already holds wins.
if ((argv[0] === 'serve' || argv[0] === 'report') && existsSync('.env')) process.loadEnvFile('.env');

process.exitCode = await main(argv, undefined, engine, fromBuild);
