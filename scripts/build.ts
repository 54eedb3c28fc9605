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
  // The packages are bundled too: resolving and reading hundreds of small files was most of the
  // start-up of `serve`. A native module stays outside, and natural, whose modules the engine
  // loads one by one.
  external: ['better-sqlite3', 'natural'],
  // A bundled CommonJS package calls `require` for node's own modules.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  chunkNames: 'chunk-[hash]',
  plugins: [
    {
      // cli-table3 and wrap-ansi measure every line and word through string-width, which builds
      // its ANSI and emoji patterns anew on each call; the build gives them a stand-in that measures
      // plain ASCII by its length and hands anything else to string-width.
      name: 'string-width',
      setup(b) {
        const shim = join(root, 'scripts/shims/string-width.cjs');
        // esbuild's filters are Go regular expressions, which have no `u` flag.
        b.onResolve({ filter: /^string-width$/ }, (args) => (args.importer === shim ? undefined : { path: shim }));
      },
    },
  ],
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
