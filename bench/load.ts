/**
 * The load benchmark: signed Slack events and Teams activities on 127.0.0.1, at rising rates, to
 * one `serve` instance on SQLite and to two instances sharing a real redis-server. Prints the
 * events/s each setup held (median ack p99 over repeated runs under 500 ms, exactly one reply per message), RSS before and
 * after, and store operations per message. Run with `npm run bench:load`; it is not a test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { redisMissing, startRedis } from '../test/helpers/redis-server.ts';
import { sign } from '../test/helpers/slack.ts';

const BIN = fileURLToPath(new URL('../bin/backup-triage.js', import.meta.url));
const SIGNING_SECRET = 'load-signing-secret-0123456789';
const RATES = (process.env.LOAD_RATES ?? '100,200,300,400').split(',').map(Number);
const STEP_S = Number(process.env.LOAD_STEP_S ?? 5);
const ACK_P99_LIMIT_MS = 500;
/** After the rising rates: two soaks at the highest rate held, with RSS read after each. */
const SOAK_S = Number(process.env.LOAD_SOAK_S ?? 10);
/** The share of Teams activities in the load (`LOAD_TEAMS=0` sends Slack events only). */
const TEAMS_SHARE = Number(process.env.LOAD_TEAMS ?? 0.5);
/** A share of the Slack events is delivered a second time, to the other instance: Slack's retry. */
const RETRY_SHARE = 0.1;
/** The rising rates are run this many times; the table gives each rate's medians (shared machines are noisy). */
const REPEATS = Number(process.env.LOAD_REPEATS ?? 3);
/** Which setups to run: `sqlite`, `redis` or both (the default), comma-separated. */
const SETUPS = new Set((process.env.LOAD_SETUPS ?? 'sqlite,redis').split(','));

const texts = (parse(readFileSync(new URL('./fixtures/heldout.yaml', import.meta.url), 'utf8')) as { text: string }[]).map((x) => x.text);

// --- fake Slack Web API and Bot Connector: they count replies and do little else, so that the ---
// --- load generator's own work takes as little of the shared cores as it can ------------------
async function startFake(handle: (url: string, raw: string) => unknown) {
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => chunks.push(d));
    req.on('end', () => {
      const body = JSON.stringify(handle(req.url ?? '', Buffer.concat(chunks).toString('utf8')));
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { port, close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))) };
}

/** The first value of a JSON or form field in a raw body, without parsing all of it. */
function field(raw: string, name: string): string | undefined {
  return new RegExp(`"${name}":"([^"]*)"`, 'u').exec(raw)?.[1] ?? new URLSearchParams(raw.startsWith('{') ? '' : raw).get(name) ?? undefined;
}

async function startSlackApi() {
  const replies = new Map<string, number>();
  let n = 0;
  const fake = await startFake((url, raw) => {
    if (url.endsWith('/auth.test')) return { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1' };
    if (url.endsWith('/users.info')) return { ok: true, user: { id: field(raw, 'user'), locale: 'en-US' } };
    if (url.endsWith('/chat.postMessage')) {
      const thread = field(raw, 'thread_ts') ?? '';
      replies.set(thread, (replies.get(thread) ?? 0) + 1);
      n += 1;
      return { ok: true, channel: field(raw, 'channel'), ts: `1900000000.${String(n).padStart(6, '0')}` };
    }
    return { ok: false, error: 'unknown_method' };
  });
  return { url: `http://127.0.0.1:${fake.port}/api/`, replies, close: fake.close };
}

async function startConnector() {
  const replies = new Map<string, number>();
  const fake = await startFake((_url, raw) => {
    const id = field(raw, 'replyToId');
    if (id) replies.set(id, (replies.get(id) ?? 0) + 1);
    return { id: `r${replies.size}` };
  });
  return { url: `http://127.0.0.1:${fake.port}/`, replies, close: fake.close };
}

type SlackApi = Awaited<ReturnType<typeof startSlackApi>>;
type Connector = Awaited<ReturnType<typeof startConnector>>;

/** Keep-alive connections for the generator's requests: cheaper per request than fetch. */
const agent = new Agent({ keepAlive: true, maxSockets: 256 });

function post(url: string, path: string, body: string, headers: Record<string, string>, retried = false): Promise<number> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = request({ agent, host: u.hostname, port: u.port, path, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      // A kept-alive connection the server closed while idle, reused at that moment: the request
      // never reached the server, and is sent again on a fresh connection (as node's docs advise).
      if (!retried && req.reusedSocket && error.code === 'ECONNRESET') post(url, path, body, headers, true).then(resolve, reject);
      else reject(error);
    });
    req.end(body);
  });
}

// --- serve processes ---------------------------------------------------------------------------
interface Instance {
  url: string;
  child: ChildProcess;
}

async function serve(env: Record<string, string>): Promise<Instance> {
  // Logs at info, as in production; the output is read until the listening line, then drained.
  // LOAD_CPU_PROF=<dir> profiles each instance; LOAD_NODE_FLAGS passes node flags (--trace-gc, …).
  const profile = process.env.LOAD_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.LOAD_CPU_PROF] : [];
  const flags = (process.env.LOAD_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...flags, ...profile, BIN, 'serve'], { env: { PATH: process.env.PATH, PORT: '0', HOST: '127.0.0.1', ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${out}`)), 30_000);
    const onData = (d: Buffer) => {
      out += String(d);
      const m = /"url":"(http:[^"]+)"/u.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.stdout!.resume();
      resolve(m[1]!);
    };
    child.stdout!.on('data', onData);
  });
  for (;;) {
    const ready = await fetch(`${url}/readyz`).catch(() => undefined);
    if (ready?.status === 200) return { url, child };
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function metric(instance: Instance, name: string): Promise<number> {
  const text = await (await fetch(`${instance.url}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) if (line.startsWith(name) && (line[name.length] === ' ' || line[name.length] === '{')) sum += Number(line.split(' ').at(-1));
  return sum;
}

// --- one step at one rate ----------------------------------------------------------------------
let seq = 0;

async function step(instances: Instance[], slack: SlackApi, connector: Connector, rate: number, seconds: number) {
  const acks: number[] = [];
  const slackSent: string[] = [];
  const teamsSent: string[] = [];
  const pending: Promise<void>[] = [];
  const total = rate * seconds;
  const start = performance.now();
  let failures = 0;
  const reasons = new Set<string>();
  // The generator's own event-loop delay: acks it measures late because it was busy are its own.
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const send = (url: string, path: string, body: string, headers: Record<string, string>) => {
    const t0 = performance.now();
    pending.push(
      post(url, path, body, headers)
        .then((status) => {
          if (status !== 200) {
            failures += 1;
            reasons.add(`HTTP ${status} from ${path}`);
          }
          acks.push(performance.now() - t0);
        })
        .catch((error: NodeJS.ErrnoException) => {
          failures += 1;
          reasons.add(`${error.code ?? error.message} on ${path}`);
        }),
    );
  };
  for (let i = 0; i < total; i += 1) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    seq += 1;
    const target = instances[i % instances.length]!;
    const text = texts[seq % texts.length]!;
    if (Math.floor((i + 1) * (1 - TEAMS_SHARE)) > Math.floor(i * (1 - TEAMS_SHARE))) {
      const ts = `1800000000.${String(seq).padStart(6, '0')}`;
      const body = JSON.stringify({ token: 'x', team_id: 'T1', api_app_id: 'A1', type: 'event_callback', event_id: `Ev${seq}`, event_time: 1800000000, event: { type: 'message', channel: `D${seq % 50}`, channel_type: 'im', user: `U${seq % 200}`, text, ts } });
      const headers = () => {
        const timestamp = Math.floor(Date.now() / 1000);
        return { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': sign(body, timestamp, SIGNING_SECRET) };
      };
      send(target.url, '/slack/events', body, headers());
      slackSent.push(ts);
      if ((seq % 100) / 100 < RETRY_SHARE) {
        const other = instances[(i + 1) % instances.length]!;
        send(other.url, '/slack/events', body, { ...headers(), 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' });
      }
    } else {
      const id = `act-${seq}`;
      const activity = {
        type: 'message', id, timestamp: new Date().toISOString(), channelId: 'msteams', serviceUrl: connector.url,
        from: { id: `29:user-${seq % 200}`, name: 'Admin' }, conversation: { id: `a:personal-${seq}`, conversationType: 'personal' },
        recipient: { id: '28:bot', name: 'backup-triage' }, text, locale: 'en-US',
      };
      send(target.url, '/api/messages', JSON.stringify(activity), {});
      teamsSent.push(id);
    }
  }
  const sendSeconds = (performance.now() - start) / 1000;
  await Promise.all(pending);
  lag.disable();
  if (reasons.size) console.error(`${rate}/s: ${failures} requests failed: ${[...reasons].slice(0, 5).join('; ')}`);
  // Replies go out after the Slack ack: wait until they stop arriving.
  let last = -1;
  for (let i = 0; i < 40; i += 1) {
    const count = [...slack.replies.values(), ...connector.replies.values()].reduce((a, b) => a + b, 0);
    if (count === last) break;
    last = count;
    await new Promise((r) => setTimeout(r, 500));
  }
  const answersOf = (ts: string) => slack.replies.get(ts) ?? 0;
  const slackLost = slackSent.filter((ts) => answersOf(ts) === 0).length;
  const teamsLost = teamsSent.filter((id) => !connector.replies.has(id)).length;
  const teamsDup = teamsSent.filter((id) => (connector.replies.get(id) ?? 0) > 1).length;
  const slackDup = slackSent.filter((ts) => answersOf(ts) > 1).length;
  acks.sort((a, b) => a - b);
  const p99 = acks[Math.min(acks.length - 1, Math.floor(acks.length * 0.99))] ?? Number.NaN;
  const p50 = acks[Math.floor(acks.length * 0.5)] ?? Number.NaN;
  slack.replies.clear();
  connector.replies.clear();
  return { rate, achieved: total / sendSeconds, p50, p99, generatorLag: lag.percentile(99) / 1e6, lost: slackLost + teamsLost, duplicates: slackDup + teamsDup, failures, messages: total };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

// --- the setups ---------------------------------------------------------------------------------
async function runSetup(name: string, env: Record<string, string>, count: number) {
  const slack = await startSlackApi();
  const connector = await startConnector();
  const common = { SLACK_BOT_TOKEN: 'xoxb-load', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.url, TEAMS_LOCAL: 'on', ...env };
  const instances = await Promise.all(Array.from({ length: count }, () => serve(common)));
  try {
    // Warm-up: a step at the lowest rate, so that RSS "before" is after the JIT and caches settle.
    await step(instances, slack, connector, RATES[0]!, 3);
    const rssBefore = await Promise.all(instances.map((i) => metric(i, 'process_resident_memory_bytes')));
    const heapBefore = await Promise.all(instances.map((i) => metric(i, 'nodejs_heap_size_used_bytes')));
    const opsBefore = (await Promise.all(instances.map((i) => metric(i, 'backup_triage_store_operations_total')))).reduce((a, b) => a + b, 0);
    const msgsBefore = (await Promise.all(instances.map((i) => metric(i, 'backup_triage_messages_total')))).reduce((a, b) => a + b, 0);
    const runs: Awaited<ReturnType<typeof step>>[][] = RATES.map(() => []);
    for (let r = 0; r < REPEATS; r += 1) for (const [i, rate] of RATES.entries()) runs[i]!.push(await step(instances, slack, connector, rate, STEP_S));
    const steps = runs.map((all) => ({
      rate: all[0]!.rate,
      achieved: median(all.map((s) => s.achieved)),
      p50: median(all.map((s) => s.p50)),
      p99: median(all.map((s) => s.p99)),
      p99s: all.map((s) => s.p99),
      generatorLag: median(all.map((s) => s.generatorLag)),
      lost: all.reduce((n, s) => n + s.lost, 0),
      duplicates: all.reduce((n, s) => n + s.duplicates, 0),
      failures: all.reduce((n, s) => n + s.failures, 0),
    }));
    const rssAfter = await Promise.all(instances.map((i) => metric(i, 'process_resident_memory_bytes')));
    const heapAfter = await Promise.all(instances.map((i) => metric(i, 'nodejs_heap_size_used_bytes')));
    const ops = (await Promise.all(instances.map((i) => metric(i, 'backup_triage_store_operations_total')))).reduce((a, b) => a + b, 0) - opsBefore;
    const msgs = (await Promise.all(instances.map((i) => metric(i, 'backup_triage_messages_total')))).reduce((a, b) => a + b, 0) - msgsBefore;
    const good = steps.filter((s) => s.p99 < ACK_P99_LIMIT_MS && s.lost === 0 && s.duplicates === 0 && s.failures === 0);
    const held = good.length ? Math.max(...good.map((s) => s.rate)) : 0;
    // Is memory flat at a load the setup holds? Two soaks; RSS after each.
    const rate = held || RATES[0]!;
    await step(instances, slack, connector, rate, SOAK_S);
    const soakStart = await Promise.all(instances.map((i) => metric(i, 'process_resident_memory_bytes')));
    await step(instances, slack, connector, rate, SOAK_S);
    const soakEnd = await Promise.all(instances.map((i) => metric(i, 'process_resident_memory_bytes')));
    return { name, steps, held, rssBefore, rssAfter, heapBefore, heapAfter, soak: { rate, start: soakStart, end: soakEnd }, opsPerMessage: msgs ? ops / msgs : Number.NaN };
  } finally {
    for (const i of instances) i.child.kill('SIGTERM');
    await slack.close();
    await connector.close();
  }
}

const mb = (bytes: number) => `${Math.round(bytes / 1e6)} MB`;
const results = [];
const dir = mkdtempSync(join(tmpdir(), 'bt-load-'));
try {
  if (SETUPS.has('sqlite')) results.push(await runSetup('1 instance, SQLite', { DATA_DIR: dir }, 1));
  const missing = redisMissing();
  if (SETUPS.has('redis') && missing) console.log(`2 instances + Redis: skipped (${missing})`);
  else if (SETUPS.has('redis')) {
    const redis = await startRedis();
    try {
      results.push(await runSetup('2 instances + Redis', { REDIS_URL: redis.url }, 2));
    } finally {
      await redis.stop();
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log(`\nload: ${STEP_S} s per rate, each rate ${REPEATS} times (medians; every run's ack p99 in brackets), ${Math.round(100 * (1 - TEAMS_SHARE))}% Slack events (${RETRY_SHARE * 100}% of them delivered again to another instance), ${Math.round(100 * TEAMS_SHARE)}% Teams activities\n`);
console.log('| setup | rate sent (/s) | ack p50 | ack p99 | lost | duplicates | refused | generator event-loop delay p99 |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of results) for (const s of r.steps) console.log(`| ${r.name} | ${s.rate} (${s.achieved.toFixed(0)}) | ${s.p50.toFixed(0)} ms | ${s.p99.toFixed(0)} ms (${s.p99s.map((x) => x.toFixed(0)).join(', ')}) | ${s.lost} | ${s.duplicates} | ${s.failures} | ${s.generatorLag.toFixed(0)} ms |`);
console.log('\n| setup | events/s held (median ack p99 < 500 ms, one reply each) | RSS after warm-up → after the rising rates | JS heap used, the same | RSS over a soak at the rate held | store operations per message |');
console.log('| --- | --- | --- | --- | --- | --- |');
const pairs = (a: number[], b: number[]) => a.map((x, i) => `${mb(x)} → ${mb(b[i]!)}`).join(', ');
for (const r of results) console.log(`| ${r.name} | ${r.held} | ${pairs(r.rssBefore, r.rssAfter)} | ${pairs(r.heapBefore, r.heapAfter)} | ${pairs(r.soak.start, r.soak.end)} at ${r.soak.rate}/s, ${SOAK_S} s apart | ${r.opsPerMessage.toFixed(1)} |`);
process.exit(0);
