import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = fileURLToPath(new URL('../../bin/backup-triage.js', import.meta.url));

export interface ServeProcess {
  child: ChildProcessWithoutNullStreams;
  url: string;
  exited: Promise<{ code: number | null; at: number }>;
  output(): string;
  /** SIGTERM, and waits for the exit. */
  stop(): Promise<void>;
}

const children: ChildProcessWithoutNullStreams[] = [];

/** Kills every process `serve` started that is still running (for afterEach). */
export function killServed(): void {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

/** Starts `backup-triage serve` on a free loopback port and resolves once /readyz says 200 (or, in a namespace, once its log says ready). */
export async function serve(env: Record<string, string>, command: string[] = [process.execPath, BIN, 'serve']): Promise<ServeProcess> {
  const child = spawn(command[0]!, command.slice(1), { cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', HOST: '127.0.0.1', ...env }, stdio: 'pipe' });
  children.push(child);
  let out = '';
  child.stdout.on('data', (d) => (out += String(d)));
  child.stderr.on('data', (d) => (out += String(d)));
  const exited = new Promise<{ code: number | null; at: number }>((resolve) => child.on('exit', (code) => resolve({ code, at: Date.now() })));
  await expect.poll(() => /"url":"(http:[^"]+)"/u.exec(out)?.[1], { timeout: 30_000, interval: 100 }).toBeTruthy();
  const url = /"url":"(http:[^"]+)"/u.exec(out)![1]!;
  // In a namespace of its own, the server is out of this process's reach: its log says when it is ready.
  if (command[0] === 'ip') await expect.poll(() => out.includes('"backup-triage is ready"'), { timeout: 30_000, interval: 100 }).toBe(true);
  else await expect.poll(async () => (await fetch(`${url}/readyz`).catch(() => undefined))?.status, { timeout: 30_000, interval: 100 }).toBe(200);
  return {
    child,
    url,
    exited,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
