/**
 * The start-up benchmark: whole processes, as a user starts them. `node -e 0` is the baseline in the
 * same run; `ask` answers one message, `--version` prints and exits, and `serve` is timed from spawn
 * until /readyz says 200 (the engine built, every platform ready). Each is run STARTUP_RUNS times,
 * interleaved, and the medians are reported with their ratio to the baseline. Run with
 * `npm run bench:startup` (after `npm run build`); it is not a test.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../bin/backup-triage.js', import.meta.url));
const RUNS = Number(process.env.STARTUP_RUNS ?? 11);
const json = process.argv.includes('--json');

function timed(args: string[], input?: string): number {
  const start = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', ...(input !== undefined ? { input } : {}), env: { PATH: process.env.PATH, NO_COLOR: '1' } });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${String(r.status)}: ${r.stderr}`);
  return ms;
}

/** Spawn to the first 200 from /readyz, in the zero-config setup (Teams in local mode, SQLite). */
async function serveReady(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-startup-'));
  const start = performance.now();
  const child = spawn(process.execPath, [BIN, 'serve'], { env: { PATH: process.env.PATH, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir, LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    let log = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        log += d.toString('utf8');
        const found = /"url":"(http:\/\/[^"]+)"/u.exec(log);
        if (found) resolve(found[1]!);
      });
      child.once('exit', (code) => reject(new Error(`serve exited ${String(code)} before listening`)));
    });
    for (;;) {
      const res = await fetch(`${url}/readyz`).catch(() => undefined);
      if (res?.status === 200) return performance.now() - start;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const samples: Record<string, number[]> = { 'node -e 0': [], 'backup-triage --version': [], 'backup-triage ask': [], 'backup-triage serve (ready)': [] };
timed([BIN, '--version']); // warm the file cache
for (let i = 0; i < RUNS; i += 1) {
  samples['node -e 0']!.push(timed(['-e', '0']));
  samples['backup-triage --version']!.push(timed([BIN, '--version']));
  samples['backup-triage ask']!.push(timed([BIN, 'ask', '-'], 'Invalid vault credentials provided. (ID: 34513)'));
  samples['backup-triage serve (ready)']!.push(await serveReady());
}

const base = median(samples['node -e 0']!);
const rows = Object.entries(samples).map(([name, xs]) => ({ name, medianMs: Math.round(median(xs)), ratio: Number((median(xs) / base).toFixed(1)) }));
if (json) console.log(JSON.stringify({ runs: RUNS, processes: rows }));
else {
  console.log(`Start-up, whole processes, median of ${RUNS} interleaved runs:\n`);
  console.log('| process | median | × node -e 0 |\n| --- | ---: | ---: |');
  for (const r of rows) console.log(`| ${r.name} | ${r.medianMs} ms | ${r.ratio.toFixed(1)} |`);
}
