#!/usr/bin/env node
// Runs the TypeScript CLI directly from src/ (no build step).
import { register } from 'tsx/esm/api';

// A closed pipe (`backup-triage kb list | head`) ends the output, not the process with a stack.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
