import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CORE = fileURLToPath(new URL('../src/core', import.meta.url));
const SRC = fileURLToPath(new URL('../src', import.meta.url));
const SLACK = fileURLToPath(new URL('../src/adapters/slack', import.meta.url));
const TEAMS = fileURLToPath(new URL('../src/adapters/teams', import.meta.url));
const SERVER = fileURLToPath(new URL('../src/server', import.meta.url));

/** The relative imports of a file. */
const importsOf = (file: string) => [...readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/gu)].map((m) => m[1]!);

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? files(join(dir, d.name)) : [join(dir, d.name)]));
}

describe('the core', () => {
  it('imports no chat platform SDK', () => {
    const offenders = files(CORE).filter((f) => /from ['"](?:@slack\/|botbuilder|@microsoft\/agents)/u.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('leaves Slack SDK imports to the Slack adapter', () => {
    const offenders = files(SRC).filter((f) => !f.startsWith(SLACK) && /from ['"]@slack\//u.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('leaves botbuilder imports to the Teams adapter, so that moving to the Agents SDK touches one folder', () => {
    const offenders = files(SRC).filter((f) => !f.startsWith(TEAMS) && /from ['"](?:botbuilder|botframework-|@microsoft\/agents)/u.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('owns its ports: nothing in the core imports from outside src/core', () => {
    const offenders = files(CORE).filter((f) => importsOf(f).some((p) => !join(f, '..', p).startsWith(CORE)));
    expect(offenders).toEqual([]);
  });

  it('has a server that knows no adapter: each platform mounts itself', () => {
    const offenders = files(SERVER).filter((f) => importsOf(f).some((p) => p.includes('/adapters/')));
    expect(offenders).toEqual([]);
  });
});
