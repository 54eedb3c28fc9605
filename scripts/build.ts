// `npm run build` (run by `npm ci` too): the command line compiled to JavaScript in dist/, one
// module per command so that each loads only what it uses, and dist/engine.v8, what start-up
// would otherwise compute from the knowledge, intents and model.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { prepareSources } from '../src/compose.ts';
import { INTENTS_DIR, KNOWLEDGE_DIR, MODEL_FILE } from '../src/paths.ts';
import { sourcesDigest, writePrebuilt } from '../src/prebuilt.ts';
import { formatProblem, KnowledgeError } from '../src/core/knowledge/problems.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');

const started = performance.now();
// The previous build's modules go (their names carry content hashes); dist/ keeps anything else.
try {
  for (const name of readdirSync(dist)) if (name.endsWith('.js') || name === 'engine.v8') rmSync(join(dist, name));
} catch {
  // no dist/ yet
}

await build({
  entryPoints: { 'backup-triage': join(root, 'src/cli/bin.ts') },
  outdir: dist,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Packages load from node_modules as they are: native modules and SDKs that read their own files.
  packages: 'external',
  chunkNames: 'chunk-[hash]',
  logLevel: 'warning',
});

let prepared;
try {
  prepared = prepareSources();
} catch (error) {
  if (!(error instanceof KnowledgeError)) throw error;
  for (const problem of error.problems) console.error(formatProblem(problem));
  console.error('build: the knowledge has problems; fix them and run `npm run build` again');
  process.exit(1);
}
writePrebuilt(join(dist, 'engine.v8'), prepared, sourcesDigest({ knowledgeDir: KNOWLEDGE_DIR, intentsDir: INTENTS_DIR, modelFile: MODEL_FILE }));
console.log(`build: dist/ in ${((performance.now() - started) / 1000).toFixed(1)} s`);
