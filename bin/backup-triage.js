#!/usr/bin/env node
// The command line, as `npm run build` compiled it into dist/ (`npm ci` runs the build).
import { existsSync } from 'node:fs';
import { URL } from 'node:url';

const built = new URL('../dist/backup-triage.js', import.meta.url);
if (!existsSync(built)) {
  process.stderr.write('backup-triage: not built yet: run `npm run build` (npm ci runs it)\n');
  process.exit(1);
}
await import(built.href);
